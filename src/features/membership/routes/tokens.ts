import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { createToken, listTokens, revokeTokenFor } from '../token-service.ts';
import { IdParams, ItemsOf, TokenCreateBody, TokenView } from './schemas.ts';

const read = { tabella: { auth: 'member', scope: 'read' } } as const;
const admin = { tabella: { auth: 'member', scope: 'admin' } } as const;

export const tokenRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/tokens',
    {
      config: read,
      schema: { tags: ['tokens'], summary: "The actor's API tokens", response: { 200: ItemsOf(TokenView) } },
    },
    async (req) => ({ items: await listTokens(req.ctx) }),
  );

  app.post(
    '/api/v1/tokens',
    {
      config: admin,
      schema: {
        tags: ['tokens'],
        summary:
          'Create an API token with scopes and an optional expiry; `token` is the secret, shown this once. A token making a token needs admin and cannot widen its own scopes or expiry',
        body: TokenCreateBody,
        response: { 201: Type.Intersect([TokenView, Type.Object({ token: Type.String() })]) },
      },
    },
    async (req, reply) =>
      reply.code(201).send(
        await createToken(req.ctx, {
          name: req.body.name,
          scopes: req.body.scopes,
          expiresAt: req.body.expiresAt,
        }),
      ),
  );

  app.delete(
    '/api/v1/tokens/:id',
    { config: admin, schema: { tags: ['tokens'], summary: 'Revoke a token at once', params: IdParams } },
    async (req, reply) => {
      await revokeTokenFor(req.ctx, req.params.id);
      return reply.code(204).send();
    },
  );
};
