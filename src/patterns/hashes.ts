import type { ObjectPath, PropTest } from './ast.ts';

// Digest sizes (hex characters) of hash algorithms that patterns name in `…:hashes.<ALGORITHM>`
// paths; names are compared upper-cased without '-' (so 'SHA-256', 'sha256' and 'SHA256' agree),
// as the OASIS pattern validator does.
const HEX_LENGTHS: Readonly<Record<string, number>> = {
  MD5: 32,
  SHA1: 40,
  SHA224: 56,
  SHA256: 64,
  SHA384: 96,
  SHA512: 128,
  SHA3224: 56,
  SHA3256: 64,
  SHA3384: 96,
  SHA3512: 128,
  RIPEMD160: 40,
  WHIRLPOOL: 128,
};

/**
 * Hex characters in a digest of `algorithm`, or undefined for an algorithm of no fixed hex size;
 * the name is compared upper-cased without '-' ('SHA-256', 'sha256' and 'SHA256' agree).
 */
export function hexDigestLength(algorithm: string): number | undefined {
  return HEX_LENGTHS[algorithm.toUpperCase().replace(/-/g, '')];
}

function algorithmOf(path: ObjectPath): string | undefined {
  const { steps } = path;
  for (let i = 0; i + 1 < steps.length; i++) {
    const step = steps[i];
    const next = steps[i + 1];
    if (step?.kind === 'key' && step.key === 'hashes' && next?.kind === 'key') {
      return next.key;
    }
  }
  return undefined;
}

/**
 * Returns the name of the hash algorithm whose digest a string compared with `…:hashes.<ALG>`
 * cannot be, or undefined when the test is fine (or not about a known hash).
 */
export function invalidHashLiteral(test: PropTest): string | undefined {
  if (test.kind !== 'compare' && test.kind !== 'in') return undefined;
  const algorithm = algorithmOf(test.path);
  const length = algorithm === undefined ? undefined : hexDigestLength(algorithm);
  if (algorithm === undefined || length === undefined) return undefined;
  const values = test.kind === 'in' ? test.values : [test.value];
  for (const v of values) {
    if (v.kind === 'string' && (v.value.length !== length || !/^[0-9a-fA-F]*$/.test(v.value)))
      return algorithm;
  }
  return undefined;
}
