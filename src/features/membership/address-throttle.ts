import { isIPv4, isIPv6 } from 'node:net';
import { sql } from 'kysely';
import { isoTime } from '../../core/clock.ts';
import type { Executor } from '../context.ts';

/** The fixed window over which an address's failed secret checks are counted. */
export const ADDRESS_WINDOW_MS = 15 * 60_000;

/**
 * The throttle key of a client address (attacker-influenced: it comes from the socket, or from
 * `X-Forwarded-For` behind a trusted proxy). IPv4-mapped IPv6 is its IPv4 address; other IPv6
 * addresses count by their /64, which one subscriber usually holds whole (RFC 6177), so rotating
 * through it buys nothing.
 */
export function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1];
  if (mapped !== undefined && isIPv4(mapped)) return mapped;
  if (!isIPv6(ip)) return ip;
  const [head = '', tail = ''] = ip.toLowerCase().split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const groups = ip.includes('::')
    ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/** An attempt counted against an address's budget before its secret is checked. */
export interface AddressAttempt {
  readonly key: string;
  readonly windowStart: string;
  /** The window's attempts with this one included. */
  readonly attempts: number;
}

export type AddressReservation =
  | { readonly ok: true; readonly attempt: AddressAttempt }
  | { readonly ok: false; readonly retryAfterSeconds: number };

/**
 * Counts a secret check of `ip` in its current window, in one statement (an upsert whose update is
 * conditional), unless the window already holds `limit` attempts — failures, and checks still in
 * flight. Several nodes sharing the database share the budget exactly.
 */
export async function reserveAddressAttempt(
  db: Executor,
  ip: string,
  limit: number,
  nowMs: number,
): Promise<AddressReservation> {
  const key = addressKey(ip);
  const now = isoTime(nowMs);
  const expired = sql<boolean>`auth_throttle.window_start <= ${isoTime(nowMs - ADDRESS_WINDOW_MS)}`;
  const row = await db
    .insertInto('auth_throttle')
    .values({ scope: 'address', key, attempts: 1, window_start: now })
    .onConflict((oc) =>
      oc
        .columns(['scope', 'key'])
        .doUpdateSet({
          attempts: sql<number>`case when ${expired} then 1 else auth_throttle.attempts + 1 end`,
          window_start: sql<string>`case when ${expired} then ${now} else auth_throttle.window_start end`,
        })
        .where(sql<boolean>`${expired} or auth_throttle.attempts < ${limit}`),
    )
    .returning(['attempts', 'window_start'])
    .executeTakeFirst();
  if (row !== undefined) {
    return { ok: true, attempt: { key, windowStart: row.window_start, attempts: Number(row.attempts) } };
  }
  const held = await db
    .selectFrom('auth_throttle')
    .select('window_start')
    .where('scope', '=', 'address')
    .where('key', '=', key)
    .executeTakeFirst();
  const ends = Date.parse(held?.window_start ?? now) + ADDRESS_WINDOW_MS;
  return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((ends - nowMs) / 1000)) };
}

/** Gives an attempt back (the secret was right, or none was judged), if its window still runs. */
export async function refundAddressAttempt(db: Executor, attempt: AddressAttempt): Promise<void> {
  await db
    .updateTable('auth_throttle')
    .set({ attempts: sql`attempts - 1` })
    .where('scope', '=', 'address')
    .where('key', '=', attempt.key)
    .where('window_start', '=', attempt.windowStart)
    .where('attempts', '>', 0)
    .execute();
}

/** Forgets windows that ended, so the table holds only addresses that failed lately. */
export async function pruneAddressWindows(db: Executor, nowMs: number): Promise<void> {
  await db
    .deleteFrom('auth_throttle')
    .where('window_start', '<=', isoTime(nowMs - ADDRESS_WINDOW_MS))
    .execute();
}
