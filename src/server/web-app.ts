import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { TabellaError } from '../core/errors.ts';

const WEB_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));
/** Paths that belong to machines: they answer JSON errors, never the web app. */
const MACHINE_PREFIXES = ['/api/', '/taxii2', '/log/', '/healthz'];

/**
 * Serves the built React app (from `root`, `web/dist` by default), with client-side routes
 * falling back to index.html — except under the machine prefixes, which answer a JSON 404.
 */
export async function installWebApp(app: FastifyInstance, root: string = WEB_DIST): Promise<boolean> {
  const built = existsSync(join(root, 'index.html'));
  if (built) {
    await app.register(fastifyStatic, { root, wildcard: false, index: ['index.html'], maxAge: 0 });
  }
  app.setNotFoundHandler(async (req, reply) => {
    const url = req.url.split('?')[0] ?? '/';
    const machine = MACHINE_PREFIXES.some((p) => url === p.replace(/\/$/, '') || url.startsWith(p));
    if (built && !machine && (req.method === 'GET' || req.method === 'HEAD')) {
      return reply.type('text/html').sendFile('index.html');
    }
    throw new TabellaError('NOT_FOUND', 'no such resource');
  });
  return built;
}
