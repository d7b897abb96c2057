import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeBase32, totp } from './totp.ts';

// RFC 6238 Appendix B test vectors for SHA-1 (secret "12345678901234567890"), last six digits.
const SECRET = Buffer.from('12345678901234567890').toString('hex');
const BASE32 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe('test TOTP helper', () => {
  it('decodes base32 to the RFC 6238 secret', () => {
    assert.equal(decodeBase32(BASE32).toString('hex'), SECRET);
  });
  it('matches the RFC 6238 Appendix B vectors', () => {
    const vectors: ReadonlyArray<readonly [number, string]> = [
      [59, '287082'],
      [1111111109, '081804'],
      [1111111111, '050471'],
      [1234567890, '005924'],
      [2000000000, '279037'],
    ];
    for (const [seconds, code] of vectors) assert.equal(totp(BASE32, seconds * 1000), code);
  });
});
