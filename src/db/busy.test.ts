import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isDatabaseBusy } from './busy.ts';

const withCode = (code: string) => Object.assign(new Error(code), { code });

describe('isDatabaseBusy', () => {
  it('knows SQLite busy and locked codes, extended ones included, and PostgreSQL lock_not_available', () => {
    for (const code of [
      'SQLITE_BUSY',
      'SQLITE_BUSY_SNAPSHOT',
      'SQLITE_BUSY_TIMEOUT',
      'SQLITE_LOCKED',
      '55P03',
    ])
      assert.equal(isDatabaseBusy(withCode(code)), true, code);
  });

  it('finds the driver error as the cause of a wrapping one', () => {
    assert.equal(isDatabaseBusy(new Error('wrapped', { cause: withCode('SQLITE_BUSY') })), true);
  });

  it('is false for every other error and for non-errors', () => {
    for (const code of ['SQLITE_FULL', 'SQLITE_BUSYNESS', 'SQLITE_CONSTRAINT_UNIQUE', '23505', '40001'])
      assert.equal(isDatabaseBusy(withCode(code)), false, code);
    for (const v of [undefined, null, 'SQLITE_BUSY', 5, new Error('database is locked')])
      assert.equal(isDatabaseBusy(v), false, String(v));
  });
});
