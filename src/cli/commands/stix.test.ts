import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../../bin/tabella.mjs', import.meta.url));
const run = (args: string[], input?: string) =>
  spawnSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8', timeout: 30_000 });

const indicator = {
  type: 'indicator',
  spec_version: '2.1',
  id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
  created: '2016-04-06T20:03:48.000Z',
  modified: '2016-04-06T20:03:48.000Z',
  pattern: "[ipv4-addr:value = '10.0.0.1']",
  pattern_type: 'stix',
  valid_from: '2016-01-01T00:00:00Z',
};

describe('tabella stix validate (command line)', () => {
  it('exits 0 for a valid bundle read from standard input', () => {
    const bundle = {
      type: 'bundle',
      id: 'bundle--44af6c39-c09b-49c5-9de2-394224b04982',
      objects: [indicator],
    };
    const r = run(['stix', 'validate', '-'], JSON.stringify(bundle));
    assert.equal(r.status, 0);
    assert.match(r.stdout, /1 object\(s\): 0 error\(s\), 0 warning\(s\)/);
  });

  it('exits 1 and prints path, code and severity of each problem as JSON', () => {
    const bad = {
      ...indicator,
      pattern: "[ipv4-addr:value = '10.0.0.1'",
      modified: '2015-01-01T00:00:00.000Z',
    };
    const r = run(['stix', 'validate', '-', '--json'], JSON.stringify(bad));
    assert.equal(r.status, 1);
    const result = JSON.parse(r.stdout) as {
      errors: number;
      issues: { path: string; code: string; severity: string }[];
    };
    assert.deepEqual(result.issues.map((i) => [i.path, i.code, i.severity]).sort(), [
      ['$.modified', 'MODIFIED_BEFORE_CREATED', 'error'],
      ['$.pattern', 'INVALID_PATTERN', 'error'],
    ]);
  });

  it('reports malformed JSON as an error', () => {
    const r = run(['stix', 'validate', '-'], '{"type": "bundle", ');
    assert.equal(r.status, 1);
    assert.match(r.stdout, /INVALID_JSON/);
  });
});
