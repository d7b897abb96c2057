import QRCode from 'qrcode';
import { TabellaError } from '../../core/errors.ts';
import { recordAudit } from '../audit/record.ts';
import type { ServiceContext } from '../context.ts';
import { markSessionMfaPassed } from './credential-store.ts';
import { getMember, spendTotpStep, updateMember } from './member-store.ts';
import { issueRecoveryCodes } from './recovery-service.ts';
import { deleteRecoveryCodes } from './recovery-store.ts';
import { beginSecretAttempt } from './secret-attempt.ts';
import { newTotpSecret, otpauthUri, verifyTotp } from './totp.ts';

async function self(ctx: ServiceContext) {
  if (ctx.actor.kind !== 'member') throw new TabellaError('UNAUTHENTICATED', 'sign in first');
  const member = await getMember(ctx.db, ctx.actor.memberId);
  if (member === undefined) throw new TabellaError('UNAUTHENTICATED', 'sign in first');
  return member;
}

export interface Enrollment {
  readonly secret: string;
  readonly otpauthUri: string;
  /** The otpauth URI as an SVG QR code, for an <img src="data:…">. */
  readonly qrSvg: string;
}

/** Starts (or restarts) TOTP enrollment; nothing is enforced until a code confirms it. */
export async function startMfaEnrollment(ctx: ServiceContext): Promise<Enrollment> {
  const member = await self(ctx);
  if (member.mfa_enabled === 1) throw new TabellaError('MFA_ALREADY_ENROLLED', 'MFA is already enabled');
  const secret = newTotpSecret();
  const uri = otpauthUri(`Tabella (${ctx.config.instanceName})`, member.email, secret);
  await ctx.db.transaction().execute(async (trx) => {
    await updateMember(trx, member.id, { mfa_secret: secret });
    await recordAudit(trx, ctx, { action: 'member.mfa.enroll', subjectType: 'member', subjectId: member.id });
  });
  const qrSvg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return { secret, otpauthUri: uri, qrSvg };
}

function invalidTotp(): TabellaError {
  return new TabellaError('INVALID_TOTP', 'the code does not match', { fields: ['code'] });
}

/**
 * Confirms enrollment with a code of the new secret. The check counts against the account and the
 * address like any other secret check; the code's step is spent by compare-and-set, and only if
 * enrollment was not restarted with another secret meanwhile. Returns the member's new recovery
 * codes, shown this once.
 */
export async function confirmMfaEnrollment(
  ctx: ServiceContext,
  code: string,
  sessionId?: string,
): Promise<string[]> {
  const member = await self(ctx);
  if (member.mfa_enabled === 1) throw new TabellaError('MFA_ALREADY_ENROLLED', 'MFA is already enabled');
  const secret = member.mfa_secret;
  if (secret === null) {
    throw new TabellaError('VALIDATION_FAILED', 'start enrollment first', { fields: ['code'] });
  }
  const attempt = await beginSecretAttempt(ctx, member.id);
  const step = verifyTotp(secret, code, ctx.clock.now(), member.mfa_last_step);
  const codes =
    step === null
      ? undefined
      : await ctx.db.transaction().execute(async (trx) => {
          const expect = { mfaEnabled: 0, mfaSecret: secret };
          if (!(await spendTotpStep(trx, member.id, step, { mfa_enabled: 1 }, expect))) return undefined;
          if (sessionId !== undefined) await markSessionMfaPassed(trx, sessionId);
          await attempt.succeeded(trx);
          await recordAudit(trx, ctx, {
            action: 'member.mfa.enable',
            subjectType: 'member',
            subjectId: member.id,
          });
          return issueRecoveryCodes(trx, ctx, member.id, 'enroll');
        });
  if (codes === undefined) {
    await attempt.failed('member.mfa.fail', 'confirm');
    throw invalidTotp();
  }
  return codes;
}

/** Members who are not administrators may turn MFA off again, proving possession once more. */
export async function disableMfa(ctx: ServiceContext, code: string): Promise<void> {
  const member = await self(ctx);
  if (member.roles.includes('"admin"')) throw new TabellaError('FORBIDDEN', 'administrators must keep MFA');
  const secret = member.mfa_secret;
  if (member.mfa_enabled !== 1 || secret === null) return;
  const attempt = await beginSecretAttempt(ctx, member.id);
  const step = verifyTotp(secret, code, ctx.clock.now(), member.mfa_last_step);
  const spent =
    step !== null &&
    (await ctx.db.transaction().execute(async (trx) => {
      const off = { mfa_enabled: 0, mfa_secret: null };
      if (!(await spendTotpStep(trx, member.id, step, off, { mfaEnabled: 1, mfaSecret: secret }))) {
        return false;
      }
      // Recovery codes stand in for the authenticator: they go with it.
      await deleteRecoveryCodes(trx, member.id);
      await attempt.succeeded(trx);
      await recordAudit(trx, ctx, {
        action: 'member.mfa.disable',
        subjectType: 'member',
        subjectId: member.id,
      });
      return true;
    }));
  if (!spent) {
    await attempt.failed('member.mfa.fail', 'disable');
    throw invalidTotp();
  }
}
