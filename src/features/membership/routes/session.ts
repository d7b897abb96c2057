import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { TabellaError } from '../../../core/errors.ts';
import { TOKEN_SCOPES } from '../../../policy/index.ts';
import { SESSION_COOKIE } from '../../http.ts';
import { changePassword } from '../account-service.ts';
import { confirmMfaEnrollment, disableMfa, startMfaEnrollment } from '../mfa-service.ts';
import {
  acceptInvitation,
  applyToJoin,
  completeSetup,
  describeInvitation,
  setupNeeded,
} from '../onboarding-service.ts';
import { type IssuedSession, signOut, signOutEverywhere } from '../session-service.ts';
import { signIn } from '../sign-in-service.ts';
import {
  AcceptBody,
  ApplicationBody,
  CodeBody,
  Member,
  Organization,
  PasswordBody,
  Session,
  SetupBody,
  SignInBody,
} from './schemas.ts';

const open = (perMinute: number) => ({ tabella: { auth: 'public', perMinute } }) as const;

function startSession(reply: FastifyReply, issued: IssuedSession, secure: boolean, status: number) {
  reply.setCookie(SESSION_COOKIE, issued.secret, { httpOnly: true, sameSite: 'strict', path: '/', secure });
  return reply.code(status).send(issued.view);
}

export const sessionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const secure = (req: { ctx: { config: { publicUrl: string } } }) =>
    req.ctx.config.publicUrl.startsWith('https:');

  app.get(
    '/api/v1/setup',
    {
      config: { tabella: { auth: 'public' } },
      schema: {
        tags: ['session'],
        summary: 'Whether first-run setup is still open',
        response: { 200: Type.Object({ needed: Type.Boolean() }) },
      },
    },
    async (req) => ({ needed: await setupNeeded(req.ctx) }),
  );

  app.post(
    '/api/v1/setup',
    {
      config: open(20),
      schema: {
        tags: ['session'],
        summary: 'First-run setup: the operator organization and its first admin',
        body: SetupBody,
        response: { 201: Session },
      },
    },
    async (req, reply) => startSession(reply, await completeSetup(req.ctx, req.body), secure(req), 201),
  );

  app.post(
    '/api/v1/applications',
    {
      config: open(10),
      schema: {
        tags: ['organizations'],
        summary: 'Apply to join the partnership; the organization stays pending until vetted',
        body: ApplicationBody,
        response: { 201: Type.Object({ organization: Organization, member: Member }) },
      },
    },
    async (req, reply) => reply.code(201).send(await applyToJoin(req.ctx, req.body)),
  );

  app.post(
    '/api/v1/session',
    {
      config: { tabella: { auth: 'public', perMinute: 'sign-in' } },
      schema: {
        tags: ['session'],
        summary: 'Sign in with password and, when enrolled, a TOTP code or a recovery code',
        body: SignInBody,
        response: { 200: Session },
      },
    },
    async (req, reply) => startSession(reply, await signIn(req.ctx, req.body), secure(req), 200),
  );

  app.get(
    '/api/v1/session',
    {
      config: { tabella: { auth: 'session', duringMfaEnrollment: true } },
      schema: { tags: ['session'], summary: 'The current browser session', response: { 200: Session } },
    },
    async (req) => {
      // Resolved once, by the authentication hook that let this request in.
      if (req.sessionView === undefined) throw new TabellaError('UNAUTHENTICATED', 'sign in first');
      return req.sessionView;
    },
  );

  app.delete(
    '/api/v1/session',
    {
      config: { tabella: { auth: 'session', duringMfaEnrollment: true } },
      schema: { tags: ['session'], summary: 'Sign out of this browser' },
    },
    async (req, reply) => {
      if (req.sessionId !== undefined) await signOut(req.ctx, req.sessionId);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send();
    },
  );

  app.delete(
    '/api/v1/sessions',
    {
      config: { tabella: { auth: 'member', duringMfaEnrollment: true, scope: 'admin' } },
      schema: { tags: ['session'], summary: 'Sign out everywhere' },
    },
    async (req, reply) => {
      await signOutEverywhere(req.ctx);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/v1/me',
    {
      config: { tabella: { auth: 'member', duringMfaEnrollment: true, scope: TOKEN_SCOPES } },
      schema: {
        tags: ['session'],
        summary: 'The actor: member, organization, roles',
        response: {
          200: Type.Object({
            member: Member,
            organization: Organization,
            authenticatedBy: Type.Union([Type.Literal('session'), Type.Literal('token')]),
          }),
        },
      },
    },
    async (req) => {
      // The authentication hook already loaded the actor's own member and organization.
      const p = req.principal;
      if (p === undefined) throw new TabellaError('UNAUTHENTICATED', 'sign in first');
      return { member: p.member, organization: p.organization, authenticatedBy: p.actor.via };
    },
  );

  app.post(
    '/api/v1/me/mfa',
    {
      config: { tabella: { auth: 'session', duringMfaEnrollment: true } },
      schema: {
        tags: ['session'],
        summary: 'Start TOTP enrollment',
        response: {
          201: Type.Object({ secret: Type.String(), otpauthUri: Type.String(), qrSvg: Type.String() }),
        },
      },
    },
    async (req, reply) => reply.code(201).send(await startMfaEnrollment(req.ctx)),
  );

  app.post(
    '/api/v1/me/mfa/confirm',
    {
      config: { tabella: { auth: 'session', duringMfaEnrollment: true } },
      schema: {
        tags: ['session'],
        summary: 'Confirm TOTP enrollment with a code; answers the recovery codes, shown this once',
        body: CodeBody,
        response: {
          200: Type.Object({ mfaEnabled: Type.Boolean(), recoveryCodes: Type.Array(Type.String()) }),
        },
      },
    },
    async (req) => {
      const recoveryCodes = await confirmMfaEnrollment(req.ctx, req.body.code, req.sessionId);
      return { mfaEnabled: true, recoveryCodes };
    },
  );

  app.delete(
    '/api/v1/me/mfa',
    {
      config: { tabella: { auth: 'session' } },
      schema: { tags: ['session'], summary: 'Turn MFA off (not for administrators)', body: CodeBody },
    },
    async (req, reply) => {
      await disableMfa(req.ctx, req.body.code);
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/v1/me/password',
    {
      config: { tabella: { auth: 'session' } },
      schema: { tags: ['session'], summary: 'Change password; other sessions end', body: PasswordBody },
    },
    async (req, reply) => {
      await changePassword(req.ctx, req.body, req.sessionId);
      return reply.code(204).send();
    },
  );

  const InvitationParams = Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }) });

  app.get(
    '/api/v1/invitations/:token',
    {
      config: open(30),
      schema: {
        tags: ['members'],
        summary: 'Look at an invitation',
        params: InvitationParams,
        response: {
          200: Type.Object({
            email: Type.String(),
            displayName: Type.String(),
            organizationName: Type.String(),
            mfaRequired: Type.Boolean(),
          }),
        },
      },
    },
    async (req) => describeInvitation(req.ctx, req.params.token),
  );

  app.post(
    '/api/v1/invitations/:token',
    {
      config: open(10),
      schema: {
        tags: ['members'],
        summary: 'Accept an invitation: set a password and sign in',
        params: InvitationParams,
        body: AcceptBody,
        response: { 200: Session },
      },
    },
    async (req, reply) =>
      startSession(reply, await acceptInvitation(req.ctx, req.params.token, req.body), secure(req), 200),
  );
};
