import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ERROR_REGISTRY, type ErrorCode, SHARE_FAILURE_CODES, TabellaError } from './errors.ts';

const DOC = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');

function documented(): Map<string, number> {
  const rows = new Map<string, number>();
  for (const m of DOC.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \|/gm)) rows.set(m[1] ?? '', Number(m[2]));
  return rows;
}

/** The codes of the "Per-object failures" table: rows whose second cell is not a status. */
function documentedShareFailures(): string[] {
  const section = DOC.slice(DOC.indexOf('## Per-object failures'));
  return [...section.matchAll(/^\| `([A-Z_]+)` \| (?!\d{3} \|)/gm)].map((m) => m[1] ?? '');
}

describe('error registry', () => {
  it('is documented in docs/errors.md, code for code and status for status', () => {
    const docs = documented();
    const registry = new Map(Object.entries(ERROR_REGISTRY).map(([code, v]) => [code, v.status]));
    assert.deepEqual([...docs.entries()].sort(), [...registry.entries()].sort());
  });

  it('maps every code to a 4xx or 5xx and produces the wire shape', () => {
    for (const code of Object.keys(ERROR_REGISTRY) as ErrorCode[]) {
      const body = new TabellaError(code, 'm').toBody();
      assert.ok(body.statusCode >= 400 && body.statusCode < 600);
      assert.deepEqual(Object.keys(body).sort(), ['code', 'error', 'message', 'statusCode']);
    }
    assert.deepEqual(new TabellaError('VALIDATION_FAILED', 'm', { fields: ['a.b'] }).toBody().fields, [
      'a.b',
    ]);
  });

  it('documents every per-object share failure code, and only those', () => {
    assert.ok(DOC.includes('## Per-object failures'));
    assert.deepEqual(documentedShareFailures().sort(), [...SHARE_FAILURE_CODES].sort());
    for (const code of SHARE_FAILURE_CODES) assert.ok(!Object.hasOwn(ERROR_REGISTRY, code), code);
  });
});
