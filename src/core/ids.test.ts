import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isId, newId, newOrderedId } from './ids.ts';

test('random ids are version 4 UUIDs behind their prefix', () => {
  const id = newId('org');
  assert.ok(isId(id, 'org'));
  assert.equal(id.slice(4 + 14, 4 + 15), '4');
  assert.equal(isId(id, 'mbr'), false);
});

test('ordered ids are version 7 UUIDs carrying their millisecond', () => {
  const ms = Date.parse('2026-11-26T12:00:00.000Z');
  const id = newOrderedId('evt', ms);
  assert.ok(isId(id, 'evt'), id);
  assert.equal(id.slice(4 + 14, 4 + 15), '7');
  const hex = id.slice(4, 12) + id.slice(13, 17);
  assert.ok(Number.parseInt(hex, 16) >= ms);
});

test('ordered ids sort in the order they were made, within and across milliseconds', () => {
  const base = Date.parse('2027-01-01T00:00:00.000Z');
  const ids: string[] = [];
  for (let i = 0; i < 10_000; i++) ids.push(newOrderedId('int', base + Math.floor(i / 3000)));
  // A clock that steps back does not break the order either.
  ids.push(newOrderedId('int', base - 5));
  const sorted = [...ids].sort();
  assert.deepEqual(sorted, ids);
  assert.equal(new Set(ids).size, ids.length);
});
