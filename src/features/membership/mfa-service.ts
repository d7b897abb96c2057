import QRCode from 'qrcode';
import { TabellaError } from '../../core/errors.ts';
import { recordAudit } from '../audit/record.ts';
import type { ServiceContext } from '../context.ts';
import { markSessionMfaPassed } from './credential-store.ts';
import { getMember, updateMember } from './member-store.ts';
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

export async function confirmMfaEnrollment(
  ctx: ServiceContext,
  code: string,
  sessionId?: string,
): Promise<void> {
  const member = await self(ctx);
  if (member.mfa_enabled === 1) throw new TabellaError('MFA_ALREADY_ENROLLED', 'MFA is already enabled');
  if (member.mfa_secret === null) {
    throw new TabellaError('VALIDATION_FAILED', 'start enrollment first', { fields: ['code'] });
  }
  const step = verifyTotp(member.mfa_secret, code, ctx.clock.now(), member.mfa_last_step);
  if (step === null) throw new TabellaError('INVALID_TOTP', 'the code does not match', { fields: ['code'] });
  await ctx.db.transaction().execute(async (trx) => {
    await updateMember(trx, member.id, { mfa_enabled: 1, mfa_last_step: step });
    if (sessionId !== undefined) await markSessionMfaPassed(trx, sessionId);
    await recordAudit(trx, ctx, { action: 'member.mfa.enable', subjectType: 'member', subjectId: member.id });
  });
}

/** Members who are not administrators may turn MFA off again, proving possession once more. */
export async function disableMfa(ctx: ServiceContext, code: string): Promise<void> {
  const member = await self(ctx);
  if (member.roles.includes('"admin"')) throw new TabellaError('FORBIDDEN', 'administrators must keep MFA');
  if (member.mfa_enabled !== 1 || member.mfa_secret === null) return;
  const step = verifyTotp(member.mfa_secret, code, ctx.clock.now(), member.mfa_last_step);
  if (step === null) throw new TabellaError('INVALID_TOTP', 'the code does not match', { fields: ['code'] });
  await ctx.db.transaction().execute(async (trx) => {
    await updateMember(trx, member.id, { mfa_enabled: 0, mfa_secret: null, mfa_last_step: step });
    await recordAudit(trx, ctx, {
      action: 'member.mfa.disable',
      subjectType: 'member',
      subjectId: member.id,
    });
  });
}
