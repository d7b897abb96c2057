import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { base32Decode, base32Encode, hotp, otpauthUri, verifyTotp } from './totp.ts';

// RFC 6238 Appendix B, SHA-1 rows: the secret is ASCII "12345678901234567890". Our codes are the
// last six digits of the published eight-digit values.
const SECRET = Buffer.from('12345678901234567890');
const VECTORS: readonly [number, string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('TOTP (RFC 6238)', () => {
  it('matches the RFC 6238 SHA-1 test vectors', () => {
    for (const [seconds, eight] of VECTORS) {
      assert.equal(hotp(SECRET, Math.floor(seconds / 30)), eight.slice(2), `T=${seconds}`);
    }
  });

  it('matches the RFC 4226 Appendix D HOTP values', () => {
    const expected = [
      '755224',
      '287082',
      '359152',
      '969429',
      '338314',
      '254676',
      '287922',
      '162583',
      '399871',
      '520489',
    ];
    for (const [counter, code] of expected.entries()) assert.equal(hotp(SECRET, counter), code);
  });

  it('accepts a code one step either side, and refuses replays and older steps', () => {
    const b32 = base32Encode(SECRET);
    const now = 1111111111_000;
    const step = Math.floor(now / 30_000);
    assert.equal(verifyTotp(b32, hotp(SECRET, step), now, 0), step);
    assert.equal(verifyTotp(b32, hotp(SECRET, step - 1), now, 0), step - 1);
    assert.equal(verifyTotp(b32, hotp(SECRET, step + 1), now, 0), step + 1);
    assert.equal(verifyTotp(b32, hotp(SECRET, step - 2), now, 0), null);
    assert.equal(verifyTotp(b32, hotp(SECRET, step), now, step), null, 'replay of the same step');
    assert.equal(verifyTotp(b32, '12345', now, 0), null);
    assert.equal(verifyTotp(b32, 'abcdef', now, 0), null);
  });

  it('round-trips base32 for any bytes (RFC 4648)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        assert.deepEqual(new Uint8Array(base32Decode(base32Encode(bytes))), bytes);
      }),
    );
    assert.equal(base32Encode(Buffer.from('foobar')), 'MZXW6YTBOI');
  });

  it('builds an otpauth URI authenticator apps read', () => {
    const uri = new URL(otpauthUri('Tabella', 'a@b.org', 'ABC'));
    assert.equal(uri.protocol, 'otpauth:');
    assert.equal(uri.searchParams.get('secret'), 'ABC');
    assert.equal(uri.searchParams.get('digits'), '6');
    assert.equal(uri.searchParams.get('period'), '30');
  });
});
