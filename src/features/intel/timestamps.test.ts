import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nextDateAdded } from './timestamps.ts';

test('nextDateAdded is strictly after the latest committed date, even from a clock that is behind', () => {
  const committed = '2030-01-01T00:00:00.123456000Z';
  const behind = Date.parse('2029-12-31T23:00:00.000Z');
  const a = nextDateAdded(behind, committed);
  assert.equal(a, '2030-01-01T00:00:00.123457000Z');
  const b = nextDateAdded(behind, committed);
  assert.ok(b > a, 'and strictly increasing within the process');
});

test('nextDateAdded follows the clock when it is ahead of every committed date', () => {
  const now = Date.parse('2031-06-01T12:00:00.500Z');
  assert.equal(nextDateAdded(now, '2031-01-01T00:00:00.000000000Z').slice(0, 23), '2031-06-01T12:00:00.500');
});
