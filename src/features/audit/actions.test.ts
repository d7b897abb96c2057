import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { AUDIT_ACTIONS } from './record.ts';

const DOC = readFileSync(new URL('../../../docs/audit.md', import.meta.url), 'utf8');

/**
 * The action codes in docs/audit.md's table. A row may list several: `session.create` /
 * `session.fail`, or with a shorthand that replaces the last part: `member.mfa.enroll` / `.enable`.
 */
function documented(): string[] {
  const out: string[] = [];
  for (const row of DOC.matchAll(/^\| (`[a-z_.]+`(?: \/ `[a-z_.]+`)*) \|/gm)) {
    let previous = '';
    for (const m of (row[1] ?? '').matchAll(/`([a-z_.]+)`/g)) {
      const code = m[1] ?? '';
      const full = code.startsWith('.') ? previous.slice(0, previous.lastIndexOf('.')) + code : code;
      out.push(full);
      previous = full;
    }
  }
  return out;
}

it('docs/audit.md lists every audit action, and only those', () => {
  assert.deepEqual(documented().sort(), [...AUDIT_ACTIONS].sort());
});
