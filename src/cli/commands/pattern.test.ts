import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { evaluateMatchLine } from './pattern-match.ts';

const BIN = fileURLToPath(new URL('../../../bin/tabella.mjs', import.meta.url));
const run = (args: string[], input?: string) =>
  spawnSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8', timeout: 30_000 });

const T = '2020-01-01T00:00:00Z';
const bundle = {
  type: 'bundle',
  id: 'bundle--44af6c39-c09b-49c5-9de2-394224b04982',
  objects: [
    {
      type: 'observed-data',
      id: 'observed-data--b67d30ff-02ac-498a-92f9-32f845f448cf',
      first_observed: T,
      last_observed: T,
      number_observed: 1,
      object_refs: ['ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4'],
    },
    { type: 'ipv4-addr', id: 'ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4', value: '198.51.100.3' },
  ],
};

describe('evaluateMatchLine', () => {
  it('matches STIX 2.1 bundles, flat lists and the 2.0 form', () => {
    const p = "[ipv4-addr:value = '198.51.100.3']";
    assert.deepEqual(evaluateMatchLine(JSON.stringify({ pattern: p, observed: [bundle] })), {
      valid: true,
      match: true,
      error: null,
    });
    assert.deepEqual(
      evaluateMatchLine(JSON.stringify({ pattern: p, observed: bundle.objects, stix_version: '2.1' })).match,
      true,
    );
    const v20 = {
      type: 'observed-data',
      first_observed: T,
      last_observed: T,
      number_observed: 1,
      objects: { '0': { type: 'ipv4-addr', value: '10.0.0.1' } },
    };
    assert.equal(
      evaluateMatchLine(JSON.stringify({ pattern: p, observed: [v20], stix_version: '2.0' })).match,
      false,
    );
  });

  it('reports invalid patterns with valid false and match null', () => {
    const r = evaluateMatchLine(JSON.stringify({ pattern: '[a:b = ', observed: [] }));
    assert.equal(r.valid, false);
    assert.equal(r.match, null);
    assert.equal(typeof r.error, 'string');
  });

  it('reports data that cannot be evaluated with match null', () => {
    for (const line of [
      JSON.stringify({ pattern: '[a:b = 1]', observed: [{ type: 'observed-data' }] }),
      JSON.stringify({ pattern: '[a:b = 1]', observed: 'x' }),
      JSON.stringify({ pattern: '[a:b = 1]', observed: [], stix_version: '3.0' }),
    ]) {
      const r = evaluateMatchLine(line);
      assert.equal(r.valid, true);
      assert.equal(r.match, null);
    }
    assert.deepEqual(evaluateMatchLine('not json'), {
      valid: false,
      match: null,
      error: 'line is not valid JSON',
    });
  });
});

describe('tabella pattern (command line)', () => {
  it('check exits 0 for a valid pattern and 1 with the position otherwise', () => {
    const ok = run(['pattern', 'check', `[file:hashes.'SHA-256' = '${'a'.repeat(64)}']`]);
    assert.equal(ok.status, 0);
    assert.equal(run(['pattern', 'check', "[file:hashes.'SHA-256' = 'x']"]).status, 1);
    const bad = run(['pattern', 'check', "[file:name = 'x' AND ]"]);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /line 1, column 22/);
  });

  it('match writes one line per input line, in order, and survives bad lines', () => {
    const lines = [
      JSON.stringify({ pattern: "[ipv4-addr:value = '198.51.100.3']", observed: [bundle] }),
      '{broken',
      JSON.stringify({ pattern: "[ipv4-addr:value = '10.0.0.1']", observed: [bundle] }),
    ];
    const r = run(['pattern', 'match'], `${lines.join('\n')}\n`);
    assert.equal(r.status, 0);
    const out = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { valid: boolean; match: boolean | null });
    assert.deepEqual(
      out.map((o) => [o.valid, o.match]),
      [
        [true, true],
        [false, null],
        [true, false],
      ],
    );
  });
});
