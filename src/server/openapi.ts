import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

/** The API documents itself: OpenAPI 3.1 at /api/openapi.json, browsable at /api/docs. */
export async function installOpenApi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Tabella API',
        version,
        description:
          'Election-security partnership platform. Errors always have the shape { statusCode, code, error, message } — see docs/errors.md.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'API token (tbl_…)' },
          basic: { type: 'http', scheme: 'basic', description: '<member e-mail>:<API token>' },
          session: { type: 'apiKey', in: 'cookie', name: 'tabella_session' },
        },
      },
      security: [{ bearer: [] }, { basic: [] }, { session: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: false });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
