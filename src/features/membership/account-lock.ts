import { sql } from 'kysely';
import { isoTime } from '../../core/clock.ts';
import type { Executor } from '../context.ts';

/** Failures allowed before the account locks; each further failure doubles the lock. */
export const LOCKOUT_THRESHOLD = 5;
const LOCK_BASE_MS = 30_000;
const LOCK_MAX_MS = 3600_000;

export function lockDurationMs(failures: number): number {
  if (failures < LOCKOUT_THRESHOLD) return 0;
  return Math.min(LOCK_BASE_MS * 2 ** (failures - LOCKOUT_THRESHOLD), LOCK_MAX_MS);
}

/** The first failure count whose lock is the longest; every later count locks as long. */
const LONGEST_FROM = LOCKOUT_THRESHOLD + Math.ceil(Math.log2(LOCK_MAX_MS / LOCK_BASE_MS));

/**
 * `locked_until` for the count `failed_logins + 1`, as SQL: the same back-off as `lockDurationMs`,
 * one `when` per count below the longest lock, so the database decides from the count it holds.
 */
function lockAfterNextFailure(nowMs: number) {
  const whens = [sql`when failed_logins + 1 >= ${LONGEST_FROM} then ${isoTime(nowMs + LOCK_MAX_MS)}`];
  for (let f = LONGEST_FROM - 1; f >= LOCKOUT_THRESHOLD; f--) {
    whens.push(sql`when failed_logins + 1 = ${f} then ${isoTime(nowMs + lockDurationMs(f))}`);
  }
  return sql<string | null>`case ${sql.join(whens, sql` `)} else null end`;
}

/** An attempt on an account's secret, counted before the secret is checked. */
export interface AccountAttempt {
  /** The account's failure count with this attempt included. */
  readonly failures: number;
  /** Whether this attempt locked the account (it is checked all the same: it came first). */
  readonly locked: boolean;
}

/**
 * Counts an attempt on a member's secret before it is checked, in one conditional update: of any
 * number of parallel attempts only `LOCKOUT_THRESHOLD` get through before the lock, whichever
 * node they reach. Returns undefined, counting nothing, when the account is locked.
 */
export async function reserveAccountAttempt(
  db: Executor,
  memberId: string,
  nowMs: number,
): Promise<AccountAttempt | undefined> {
  const now = isoTime(nowMs);
  const row = await db
    .updateTable('members')
    .set({ failed_logins: sql`failed_logins + 1`, locked_until: lockAfterNextFailure(nowMs) })
    .where('id', '=', memberId)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
    .returning(['failed_logins', 'locked_until'])
    .executeTakeFirst();
  if (row === undefined) return undefined;
  return { failures: row.failed_logins, locked: row.locked_until !== null };
}

/** When the member's lock ends, or null when they are not locked. */
export async function lockedUntil(db: Executor, memberId: string, nowMs: number): Promise<string | null> {
  const row = await db
    .selectFrom('members')
    .select('locked_until')
    .where('id', '=', memberId)
    .executeTakeFirst();
  const until = row?.locked_until ?? null;
  return until !== null && until > isoTime(nowMs) ? until : null;
}

/**
 * After a right secret: clears the account's failures, but only when no other attempt was counted
 * since this one (compare-and-set on the count). A failure that came in parallel — possibly the
 * one that locked the account — is never wiped out by a success that was checked beside it.
 */
export async function clearAccountFailures(db: Executor, memberId: string, attempt: AccountAttempt) {
  await db
    .updateTable('members')
    .set({ failed_logins: 0, locked_until: null })
    .where('id', '=', memberId)
    .where('failed_logins', '=', attempt.failures)
    .execute();
}

/**
 * Gives an attempt back when no secret was judged (the code was missing, the member is suspended,
 * the address was refused). The lock it may have set goes only when no attempt was counted since
 * (compare-and-set): before it the account was unlocked, or its lock had run out.
 */
export async function refundAccountAttempt(db: Executor, memberId: string, attempt: AccountAttempt) {
  await db
    .updateTable('members')
    .set({
      failed_logins: sql`failed_logins - 1`,
      locked_until: sql`case when failed_logins = ${attempt.failures} then null else locked_until end`,
    })
    .where('id', '=', memberId)
    .where('failed_logins', '>', 0)
    .execute();
}
