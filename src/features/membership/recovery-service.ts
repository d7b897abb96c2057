import { isoTime } from '../../core/clock.ts';
import { TabellaError } from '../../core/errors.ts';
import { recordAudit } from '../audit/record.ts';
import type { ServiceContext, Tx } from '../context.ts';
import { getMember, spendTotpStep } from './member-store.ts';
import { verifyPassword } from './password.ts';
import {
  newRecoveryCode,
  normalizeRecoveryCode,
  RECOVERY_CODE_COUNT,
  recoveryCodeHash,
} from './recovery-code.ts';
import { countUnspentRecoveryCodes, replaceRecoveryCodes } from './recovery-store.ts';
import { beginSecretAttempt } from './secret-attempt.ts';
import { verifyTotp } from './totp.ts';

/**
 * A new set of recovery codes for a member, inside the caller's transaction: the old set stops
 * working, the new codes are returned (to be shown once) and only their digests are stored.
 */
export async function issueRecoveryCodes(
  trx: Tx,
  ctx: Pick<ServiceContext, 'clock' | 'actor'>,
  memberId: string,
  reason: 'enroll' | 'regenerate',
): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  const hashes = codes.map((c) => recoveryCodeHash(normalizeRecoveryCode(c) ?? ''));
  await replaceRecoveryCodes(trx, memberId, hashes, isoTime(ctx.clock.now()));
  await recordAudit(trx, ctx, {
    action: 'member.recovery.generate',
    subjectType: 'member',
    subjectId: memberId,
    details: { reason, count: codes.length },
  });
  return codes;
}

async function self(ctx: ServiceContext) {
  if (ctx.actor.kind !== 'member') throw new TabellaError('UNAUTHENTICATED', 'sign in first');
  const member = await getMember(ctx.db, ctx.actor.memberId);
  if (member === undefined) throw new TabellaError('UNAUTHENTICATED', 'sign in first');
  return member;
}

export interface RecoveryCodeStatus {
  readonly mfaEnabled: boolean;
  /** Unspent codes left. */
  readonly remaining: number;
}

export async function recoveryCodeStatus(ctx: ServiceContext): Promise<RecoveryCodeStatus> {
  const member = await self(ctx);
  return {
    mfaEnabled: member.mfa_enabled === 1,
    remaining: member.mfa_enabled === 1 ? await countUnspentRecoveryCodes(ctx.db, member.id) : 0,
  };
}

/**
 * Regenerates the actor's recovery codes, which needs their current password and a TOTP code, as
 * other sensitive changes of one's own account do: one secret check (counted against the account
 * and the address, audited when wrong), the code's step spent by compare-and-set.
 */
export async function regenerateRecoveryCodes(
  ctx: ServiceContext,
  input: { readonly currentPassword: string; readonly code: string },
): Promise<string[]> {
  const member = await self(ctx);
  const secret = member.mfa_secret;
  if (member.mfa_enabled !== 1 || secret === null) {
    throw new TabellaError('CONFLICT', 'turn on two-factor authentication first');
  }
  const attempt = await beginSecretAttempt(ctx, member.id);
  if (!(await verifyPassword(input.currentPassword, member.password_hash))) {
    await attempt.failed('member.recovery.fail', 'current-password');
    throw new TabellaError('INVALID_CREDENTIALS', 'the current password is wrong', {
      fields: ['currentPassword'],
    });
  }
  const step = verifyTotp(secret, input.code, ctx.clock.now(), member.mfa_last_step);
  const codes =
    step === null
      ? undefined
      : await ctx.db.transaction().execute(async (trx) => {
          const expect = { mfaEnabled: 1, mfaSecret: secret };
          if (!(await spendTotpStep(trx, member.id, step, {}, expect))) return undefined;
          await attempt.succeeded(trx);
          return issueRecoveryCodes(trx, ctx, member.id, 'regenerate');
        });
  if (codes === undefined) {
    await attempt.failed('member.recovery.fail', 'totp');
    throw new TabellaError('INVALID_TOTP', 'the code does not match', { fields: ['code'] });
  }
  return codes;
}
