import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { createToken, listTokens, revokeTokenFor } from '../token-service.ts';
import { IdParams, ItemsOf, TokenCreateBody, TokenView } from './schemas.ts';

const member = { tabella: { auth: 'member' } } as const;

export const tokenRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/tokens',
    {
      config: member,
      schema: { tags: ['tokens'], summary: "The actor's API tokens", response: { 200: ItemsOf(TokenView) } },
    },
    async (req) => ({ items: await listTokens(req.ctx) }),
  );

  app.post(
    '/api/v1/tokens',
    {
      config: member,
      schema: {
        tags: ['tokens'],
        summary: 'Create an API token; `token` is the secret, shown this once',
        body: TokenCreateBody,
        response: { 201: Type.Intersect([TokenView, Type.Object({ token: Type.String() })]) },
      },
    },
    async (req, reply) => reply.code(201).send(await createToken(req.ctx, { name: req.body.name })),
  );

  app.delete(
    '/api/v1/tokens/:id',
    { config: member, schema: { tags: ['tokens'], summary: 'Revoke a token at once', params: IdParams } },
    async (req, reply) => {
      await revokeTokenFor(req.ctx, req.params.id);
      return reply.code(204).send();
    },
  );
};
