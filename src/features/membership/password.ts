import { randomBytes, scrypt } from 'node:crypto';
import { TabellaError } from '../../core/errors.ts';
import { safeEqual } from '../../core/secrets.ts';

/** scrypt parameters (RFC 7914); N = 2^15 costs ~32 MiB and tens of milliseconds per check. */
const N = 32_768;
const R = 8;
const P = 1;
const KEY_LEN = 32;
const MAX_MEM = 128 * N * R * 2;

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LEN, { N: n, r, p, maxmem: MAX_MEM }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;

/** Rejects passwords too short to resist guessing (NIST SP 800-63B §5.1.1: length over composition). */
export function assertAcceptablePassword(password: string, field = 'password'): void {
  if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) {
    throw new TabellaError(
      'WEAK_PASSWORD',
      `${field} must be ${PASSWORD_MIN} to ${PASSWORD_MAX} characters`,
      {
        fields: [field],
      },
    );
  }
}

/** Hashes a password to `scrypt$N$r$p$salt$hash` (base64url parts). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, N, R, P);
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

const DUMMY_SALT = randomBytes(16);

/** Verifies in constant time; with no stored hash it still does the work, so timing reveals nothing. */
export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const parts = stored?.split('$');
  if (parts === undefined || parts.length !== 6 || parts[0] !== 'scrypt') {
    await derive(password, DUMMY_SALT, N, R, P);
    return false;
  }
  const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string];
  const key = await derive(password, Buffer.from(salt, 'base64url'), Number(n), Number(r), Number(p));
  return safeEqual(key, Buffer.from(hash, 'base64url'));
}
