import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { approveRename, rejectRename } from '../org-rename-service.ts';
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
        querystring: Type.Object(
          {
            status: Type.Optional(OrgStatusSchema),
            renamePending: Type.Optional(
              Type.Boolean({ description: 'only organizations with a rename waiting for approval' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: ItemsOf(Organization) },
      },
    },
    async (req) => ({
      items: await listOrgs(req.ctx, { status: req.query.status, renamePending: req.query.renamePending }),
    }),
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
        description:
          "A new name applies at once when an operator administrator gives it or the organization is not vetted; an own administrator's rename of a vetted organization is recorded as `pendingRename` for an operator administrator to approve.",
        params: IdParams,
        body: OrgPatchBody,
        response: { 200: Organization },
      },
    },
    async (req) => patchOrg(req.ctx, req.params.id, req.body),
  );

  for (const [verb, decide, summary] of [
    ['approve', approveRename, "Approve an organization's pending rename (operator administrators)"],
    ['reject', rejectRename, "Reject an organization's pending rename (operator administrators)"],
  ] as const) {
    app.post(
      `/api/v1/orgs/:id/rename/${verb}`,
      {
        config: admin,
        schema: { tags: ['organizations'], summary, params: IdParams, response: { 200: Organization } },
      },
      async (req) => decide(req.ctx, req.params.id),
    );
  }
};
