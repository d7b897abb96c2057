import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { inviteMember, resendInvitation, revokeInvitation } from '../invitation-service.ts';
import { getMemberFor, listMembers, patchMember } from '../member-service.ts';
import { IdParams, InviteBody, ItemsOf, Member, MemberPatchBody } from './schemas.ts';

const read = { tabella: { auth: 'member', scope: 'read' } } as const;
const admin = { tabella: { auth: 'member', scope: 'admin' } } as const;
const Invited = Type.Object({ member: Member, invitationUrl: Type.String() });

export const memberRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/orgs/:id/members',
    {
      config: read,
      schema: {
        tags: ['members'],
        summary: "An organization's members",
        params: IdParams,
        response: { 200: ItemsOf(Member) },
      },
    },
    async (req) => ({ items: await listMembers(req.ctx, req.params.id) }),
  );

  app.post(
    '/api/v1/orgs/:id/members',
    {
      config: admin,
      schema: {
        tags: ['members'],
        summary:
          "Invite a member (the organization's administrators; the operator's administrators invite an administrator into an organization without an active one); the invitation URL is shown once",
        params: IdParams,
        body: InviteBody,
        response: { 201: Invited },
      },
    },
    async (req, reply) => reply.code(201).send(await inviteMember(req.ctx, req.params.id, req.body)),
  );

  app.get(
    '/api/v1/members/:id',
    {
      config: read,
      schema: { tags: ['members'], summary: 'One member', params: IdParams, response: { 200: Member } },
    },
    async (req) => getMemberFor(req.ctx, req.params.id),
  );

  app.patch(
    '/api/v1/members/:id',
    {
      config: admin,
      schema: {
        tags: ['members'],
        summary: "Change roles, tier, status or name (the organization's administrators; never oneself)",
        params: IdParams,
        body: MemberPatchBody,
        response: { 200: Member },
      },
    },
    async (req) => patchMember(req.ctx, req.params.id, req.body),
  );

  app.post(
    '/api/v1/members/:id/invitation',
    {
      config: admin,
      schema: {
        tags: ['members'],
        summary:
          "Re-send an invitee's invitation: a new link, shown once; the earlier links stop working (as for inviting)",
        params: IdParams,
        response: { 201: Invited },
      },
    },
    async (req, reply) => reply.code(201).send(await resendInvitation(req.ctx, req.params.id)),
  );

  app.delete(
    '/api/v1/members/:id/invitation',
    {
      config: admin,
      schema: {
        tags: ['members'],
        summary:
          'Revoke an invitation: the links stop working and the invitee, who never joined, is removed (as for inviting)',
        params: IdParams,
      },
    },
    async (req, reply) => {
      await revokeInvitation(req.ctx, req.params.id);
      return reply.code(204).send();
    },
  );
};
