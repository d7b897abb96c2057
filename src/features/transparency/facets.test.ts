import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { AUDIT_ACTIONS } from '../audit/record.ts';
import { ENTRY_FACETS, entryFacets, type FacetRule } from './facets.ts';

const DOC = readFileSync(new URL('../../../docs/audit.md', import.meta.url), 'utf8');

/**
 * The facets docs/audit.md's action table gives each action: the backticked names of the last
 * column. A row may list several actions, with the shorthand `member.mfa.enroll` / `.enable`.
 */
function documented(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const row of DOC.matchAll(/^\| (`[a-z_.]+`(?: \/ `[a-z_.]+`)*) \|.*\| ([^|]+) \|$/gm)) {
    const facets = [...(row[2] ?? '').matchAll(/`([a-z_]+)`/g)].map((m) => m[1] ?? '').sort();
    let previous = '';
    for (const m of (row[1] ?? '').matchAll(/`([a-z_.]+)`/g)) {
      const code = m[1] ?? '';
      const full = code.startsWith('.') ? previous.slice(0, previous.lastIndexOf('.')) + code : code;
      out.set(full, facets);
      previous = full;
    }
  }
  return out;
}

const rules = (action: string): Readonly<Record<string, FacetRule>> =>
  (ENTRY_FACETS as Readonly<Record<string, Readonly<Record<string, FacetRule>>>>)[action] ?? {};

describe('log entry facets', () => {
  it('docs/audit.md lists exactly the facets each action publishes', () => {
    const doc = documented();
    assert.deepEqual([...doc.keys()].sort(), [...AUDIT_ACTIONS].sort());
    for (const action of AUDIT_ACTIONS)
      assert.deepEqual(doc.get(action), Object.keys(rules(action)).sort(), action);
  });

  it("docs/audit.md's facet table explains every facet there is", () => {
    const table = DOC.slice(DOC.indexOf('| facet | value |'));
    const explained = [...table.matchAll(/^ {2}\| `([a-z_]+)` \|/gm)].map((m) => m[1]).sort();
    const used = [...new Set(AUDIT_ACTIONS.flatMap((a) => Object.keys(rules(a))))].sort();
    assert.deepEqual(explained, used);
  });

  it('allows only closed vocabularies: short lower-case words or booleans, never identifiers', () => {
    for (const action of AUDIT_ACTIONS)
      for (const [facet, rule] of Object.entries(rules(action))) {
        assert.ok(rule.values.length > 0, `${action}.${facet}`);
        for (const v of rule.values)
          assert.ok(
            typeof v === 'boolean' || /^[a-z][a-z+-]{0,19}$/.test(v),
            `${action}.${facet}: ${String(v)}`,
          );
      }
  });

  it('publishes a value only when its vocabulary has it, and only the listed facets', () => {
    assert.deepEqual(entryFacets('intel.share', { tlp: 'red', distribution: 'orgs', source: 'rest' }), {
      distribution: 'orgs',
      tlp: 'red',
    });
    assert.deepEqual(entryFacets('intel.share', { tlp: 'RED', distribution: { kind: 'orgs' } }), {});
    assert.deepEqual(entryFacets('org.status', { from: 'pending', to: 'vetted' }), { status: 'vetted' });
    assert.deepEqual(entryFacets('member.update', { roles: ['admin'] }), {});
    // Recovery (issue 11) publishes nothing about whose account was reset or how.
    assert.deepEqual(
      entryFacets('member.reset.issue', { password: true, mfa: true, revokeTokens: true }),
      {},
    );
    assert.deepEqual(entryFacets('member.recovery.use', { remaining: 9 }), {});
    assert.deepEqual(entryFacets('no.such', { tlp: 'red' }), {});
    assert.deepEqual(entryFacets('intel.read', null), {});
  });
});
