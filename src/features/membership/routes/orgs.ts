import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { createOrg, getOrg, listOrgs, patchOrg } from '../org-service.ts';
import { IdParams, ItemsOf, Organization, OrgCreateBody, OrgPatchBody, OrgStatusSchema } from './schemas.ts';

const read = { tabella: { auth: 'member', scope: 'read' } } as const;
const admin = { tabella: { auth: 'member', scope: 'admin' } } as const;

export const orgRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/orgs',
    {
      config: read,
      schema: {
        tags: ['organizations'],
        summary: 'The organization directory, as the actor may see it',
        querystring: Type.Object({ status: Type.Optional(OrgStatusSchema) }, { additionalProperties: false }),
        response: { 200: ItemsOf(Organization) },
      },
    },
    async (req) => ({ items: await listOrgs(req.ctx, { status: req.query.status }) }),
  );

  app.post(
    '/api/v1/orgs',
    {
      config: admin,
      schema: {
        tags: ['organizations'],
        summary: 'Register an organization (operator administrators)',
        body: OrgCreateBody,
        response: { 201: Organization },
      },
    },
    async (req, reply) => reply.code(201).send(await createOrg(req.ctx, req.body)),
  );

  app.get(
    '/api/v1/orgs/:id',
    {
      config: read,
      schema: {
        tags: ['organizations'],
        summary: 'One organization',
        params: IdParams,
        response: { 200: Organization },
      },
    },
    async (req) => getOrg(req.ctx, req.params.id),
  );

  app.patch(
    '/api/v1/orgs/:id',
    {
      config: admin,
      schema: {
        tags: ['organizations'],
        summary: 'Vet or suspend (operator administrators) or edit the profile (own administrators)',
        params: IdParams,
        body: OrgPatchBody,
        response: { 200: Organization },
      },
    },
    async (req) => patchOrg(req.ctx, req.params.id, req.body),
  );
};
