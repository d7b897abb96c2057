import { randomInt } from 'node:crypto';
import { safeEqual, sha256Hex } from '../../core/secrets.ts';

/** How many recovery codes a member holds after enrolling MFA or regenerating them. */
export const RECOVERY_CODE_COUNT = 10;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const LENGTH = 12;
const GROUP = 4;

/**
 * A new recovery code: 12 RFC 4648 base32 characters (60 random bits) shown in groups of four,
 * `ABCD-EFGH-2345`. The dashes and case are presentation only.
 */
export function newRecoveryCode(): string {
  let raw = '';
  for (let i = 0; i < LENGTH; i++) raw += ALPHABET[randomInt(ALPHABET.length)];
  return (raw.match(new RegExp(`.{${GROUP}}`, 'g')) ?? []).join('-');
}

/**
 * A typed code (attacker-controlled) in its canonical form — upper case, without spaces or dashes —
 * or undefined when it cannot be a recovery code at all.
 */
export function normalizeRecoveryCode(typed: string): string | undefined {
  const raw = typed.replace(/[\s-]/g, '').toUpperCase();
  if (raw.length !== LENGTH) return undefined;
  for (const ch of raw) if (!ALPHABET.includes(ch)) return undefined;
  return raw;
}

/**
 * The stored digest of a code. Plain SHA-256 suffices, without salt or a slow KDF: a code has 60
 * random bits, so a stolen digest cannot be reversed by guessing (unlike a chosen password).
 */
export function recoveryCodeHash(canonical: string): string {
  return sha256Hex(`tabella-recovery-code:${canonical}`);
}

/**
 * Which of `stored` (id and digest of each unspent code) the typed code is, compared in constant
 * time: every digest is compared, and the loop never stops early, so timing tells nothing of which
 * or whether one matched.
 */
export function matchRecoveryCode(
  typed: string,
  stored: readonly { readonly id: string; readonly code_hash: string }[],
): string | undefined {
  const canonical = normalizeRecoveryCode(typed);
  const digest = recoveryCodeHash(canonical ?? '');
  let found: string | undefined;
  for (const row of stored) {
    if (safeEqual(digest, row.code_hash) && canonical !== undefined && found === undefined) found = row.id;
  }
  return found;
}
