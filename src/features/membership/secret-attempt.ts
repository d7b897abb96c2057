import { TabellaError } from '../../core/errors.ts';
import { type AuditAction, recordAudit } from '../audit/record.ts';
import type { Executor, ServiceContext } from '../context.ts';
import {
  type AccountAttempt,
  clearAccountFailures,
  lockedUntil,
  refundAccountAttempt,
  reserveAccountAttempt,
} from './account-lock.ts';
import {
  ADDRESS_WINDOW_MS,
  type AddressAttempt,
  pruneAddressWindows,
  refundAddressAttempt,
  reserveAddressAttempt,
} from './address-throttle.ts';

/**
 * One check of a secret — a password, a TOTP code — counted against the member's account and the
 * client's address before the secret is looked at, so that parallel requests on any number of
 * nodes get no more tries than sequential ones. Exactly one of the three endings must follow.
 */
export interface SecretAttempt {
  /** The secret was right: the account's failures are cleared, the address's attempt given back. */
  succeeded(db: Executor): Promise<void>;
  /** No secret was judged after all (a code was missing, the member is suspended): both given back. */
  abandoned(): Promise<void>;
  /**
   * The secret was wrong: the attempt stays counted, and the failure is audited — as `action`, or
   * as `member.lockout` when this attempt locked the account, plus `auth.throttle` when it used up
   * the address's budget.
   */
  failed(action: AuditAction, reason: string): Promise<void>;
}

function accountLocked(until: string | null, nowMs: number): TabellaError {
  const seconds = until === null ? 1 : Math.max(1, Math.ceil((Date.parse(until) - nowMs) / 1000));
  return new TabellaError('ACCOUNT_LOCKED', 'too many failed attempts; try again later', {
    headers: { 'retry-after': String(seconds) },
  });
}

/**
 * Starts a secret check for `memberId` (undefined when no such member exists: the address still
 * pays). Refuses with `429 ACCOUNT_LOCKED` when the account is locked and with `429 RATE_LIMITED`
 * when the address has used its budget — in both cases before any secret is checked.
 */
export async function beginSecretAttempt(
  ctx: ServiceContext,
  memberId: string | undefined,
): Promise<SecretAttempt> {
  const now = ctx.clock.now();
  const limit = ctx.config.authFailuresPerAddress;
  // The account first: a guess at a locked account is refused without touching the address's
  // budget, so a burst at one account does not use up the budget of everyone behind its address.
  let account: AccountAttempt | undefined;
  if (memberId !== undefined) {
    account = await reserveAccountAttempt(ctx.db, memberId, now);
    if (account === undefined) throw accountLocked(await lockedUntil(ctx.db, memberId, now), now);
  }
  let address: AddressAttempt | undefined;
  if (ctx.ip !== undefined) {
    const reserved = await reserveAddressAttempt(ctx.db, ctx.ip, limit, now);
    if (!reserved.ok) {
      if (memberId !== undefined && account !== undefined)
        await refundAccountAttempt(ctx.db, memberId, account);
      throw new TabellaError('RATE_LIMITED', 'too many failed attempts from this address; try again later', {
        headers: { 'retry-after': String(reserved.retryAfterSeconds) },
      });
    }
    address = reserved.attempt;
  }
  const counted = account;

  return {
    async succeeded(db) {
      if (memberId !== undefined && counted !== undefined) await clearAccountFailures(db, memberId, counted);
      if (address !== undefined) await refundAddressAttempt(db, address);
    },
    async abandoned() {
      if (memberId !== undefined && counted !== undefined)
        await refundAccountAttempt(ctx.db, memberId, counted);
      if (address !== undefined) await refundAddressAttempt(ctx.db, address);
    },
    async failed(action, reason) {
      await ctx.db.transaction().execute(async (trx) => {
        if (memberId !== undefined && counted !== undefined) {
          await recordAudit(trx, ctx, {
            action: counted.locked ? 'member.lockout' : action,
            subjectType: 'member',
            subjectId: memberId,
            details: { reason, failures: counted.failures },
          });
        }
        if (address !== undefined && address.attempts >= limit) {
          await recordAudit(trx, ctx, {
            action: 'auth.throttle',
            subjectType: 'instance',
            subjectId: null,
            details: {
              reason,
              address: address.key,
              attempts: address.attempts,
              until: new Date(Date.parse(address.windowStart) + ADDRESS_WINDOW_MS).toISOString(),
            },
          });
        }
      });
      await pruneAddressWindows(ctx.db, now);
    },
  };
}
