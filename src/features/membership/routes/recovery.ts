import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { recoveryCodeStatus, regenerateRecoveryCodes } from '../recovery-service.ts';
import { describeReset, issueReset, redeemReset } from '../reset-service.ts';
import { IdParams, RecoveryCodesBody, ResetBody, ResetIssueBody } from './schemas.ts';

const open = (perMinute: number) => ({ tabella: { auth: 'public', perMinute } }) as const;

const ResetParams = Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }) });

/** Account recovery (issue 11): recovery codes, and reset links administrators issue. */
export const recoveryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/me/recovery-codes',
    {
      config: { tabella: { auth: 'member', scope: 'read' } },
      schema: {
        tags: ['session'],
        summary: 'How many of my recovery codes are left',
        response: { 200: Type.Object({ mfaEnabled: Type.Boolean(), remaining: Type.Integer() }) },
      },
    },
    async (req) => recoveryCodeStatus(req.ctx),
  );

  app.post(
    '/api/v1/me/recovery-codes',
    {
      config: { tabella: { auth: 'session' } },
      schema: {
        tags: ['session'],
        summary: 'Regenerate my recovery codes (current password and a TOTP code); the old ones stop working',
        body: RecoveryCodesBody,
        response: { 201: Type.Object({ recoveryCodes: Type.Array(Type.String()) }) },
      },
    },
    async (req, reply) =>
      reply.code(201).send({ recoveryCodes: await regenerateRecoveryCodes(req.ctx, req.body) }),
  );

  app.post(
    '/api/v1/members/:id/reset',
    {
      config: { tabella: { auth: 'member', scope: 'admin' } },
      schema: {
        tags: ['members'],
        summary:
          "Issue a one-time link (24 h) to reset a member's password and/or MFA; the member is signed out everywhere",
        params: IdParams,
        body: ResetIssueBody,
        response: {
          201: Type.Object({
            memberId: Type.String(),
            resetUrl: Type.String(),
            expiresAt: Type.String({ format: 'date-time' }),
            password: Type.Boolean(),
            mfa: Type.Boolean(),
            revokeTokens: Type.Boolean(),
            sessionsEnded: Type.Integer(),
            tokensRevoked: Type.Integer(),
          }),
        },
      },
    },
    async (req, reply) => reply.code(201).send(await issueReset(req.ctx, req.params.id, req.body)),
  );

  app.get(
    '/api/v1/resets/:token',
    {
      config: open(30),
      schema: {
        tags: ['members'],
        summary: 'Look at a reset link',
        params: ResetParams,
        response: {
          200: Type.Object({
            email: Type.String(),
            displayName: Type.String(),
            organizationName: Type.String(),
            password: Type.Boolean(),
            mfa: Type.Boolean(),
            expiresAt: Type.String({ format: 'date-time' }),
            mfaRequired: Type.Boolean(),
          }),
        },
      },
    },
    async (req) => describeReset(req.ctx, req.params.token),
  );

  app.post(
    '/api/v1/resets/:token',
    {
      config: open(10),
      schema: {
        tags: ['members'],
        summary: 'Use a reset link: set the new password and/or drop MFA to enroll it again; then sign in',
        params: ResetParams,
        body: ResetBody,
        response: {
          200: Type.Object({
            password: Type.Boolean(),
            mfa: Type.Boolean(),
            mfaEnrollmentRequired: Type.Boolean(),
          }),
        },
      },
    },
    async (req) => redeemReset(req.ctx, req.params.token, req.body),
  );
};
