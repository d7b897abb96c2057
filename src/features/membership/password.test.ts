import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TabellaError } from '../../core/errors.ts';
import { lockDurationMs } from './account-lock.ts';
import { assertAcceptablePassword, hashPassword, verifyPassword } from './password.ts';

describe('passwords', () => {
  it('hashes with a fresh salt and verifies only the right password', async () => {
    const a = await hashPassword('correct horse battery staple');
    const b = await hashPassword('correct horse battery staple');
    assert.notEqual(a, b);
    assert.match(a, /^scrypt\$32768\$8\$1\$/);
    assert.equal(await verifyPassword('correct horse battery staple', a), true);
    assert.equal(await verifyPassword('correct horse battery stapler', a), false);
  });

  it('refuses malformed or missing stored hashes without throwing', async () => {
    assert.equal(await verifyPassword('x', null), false);
    assert.equal(await verifyPassword('x', 'md5$abc'), false);
  });

  it('refuses passwords that are too short or too long with WEAK_PASSWORD', () => {
    for (const p of ['short', 'x'.repeat(257)]) {
      assert.throws(
        () => assertAcceptablePassword(p),
        (e: unknown) => e instanceof TabellaError && e.code === 'WEAK_PASSWORD',
      );
    }
    assert.doesNotThrow(() => assertAcceptablePassword('twelve chars'));
  });

  it('locks after five failures and doubles the lock up to an hour', () => {
    assert.equal(lockDurationMs(4), 0);
    assert.equal(lockDurationMs(5), 30_000);
    assert.equal(lockDurationMs(6), 60_000);
    assert.equal(lockDurationMs(50), 3_600_000);
  });
});
