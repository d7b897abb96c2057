import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { PatternEvaluationError } from '../errors.ts';
import { parsePattern } from '../parser.ts';
import { findMatch, matchPattern } from './match.ts';

function od(n: number, first: string, last: string, count: number, objects: Record<string, unknown>) {
  return {
    type: 'observed-data',
    id: `observed-data--00000000-0000-4000-8000-00000000000${n}`,
    first_observed: first,
    last_observed: last,
    number_observed: count,
    objects,
  };
}

const T0 = '2004-10-11T21:44:58Z';
const v20 = [
  od(1, T0, T0, 1, {
    '0': { type: 'ipv4-addr', value: '198.51.100.5' },
    '1': {
      type: 'network-traffic',
      dst_ref: '0',
      dst_port: 443,
      protocols: ['tcp', 'tls'],
      src_payload_ref: '2',
    },
    '2': { type: 'artifact', payload_bin: 'AAEC', header_hex: 'cafe' },
  }),
  od(2, '2004-10-11T21:45:58Z', '2004-10-11T21:46:58Z', 2, {
    '0': {
      type: 'file',
      name: 'evil.exe',
      size: 25536,
      hashes: { 'SHA-256': 'abc' },
      created: '2004-10-11T00:00:00.5Z',
    },
    '1': { type: 'file', name: 'café', parent_directory_ref: '2' },
    '2': { type: 'directory', path: 'C:\\Windows' },
  }),
];

const match20 = (pattern: string): boolean => matchPattern(pattern, v20, { stixVersion: '2.0' });

describe('matchPattern', () => {
  describe('when comparing values (STIX 2.1 §9.6.2)', () => {
    const cases: readonly [string, boolean][] = [
      ["[ipv4-addr:value = '198.51.100.5']", true],
      ["[ipv4-addr:value != '198.51.100.5']", false],
      ["[ipv4-addr:value NOT != '198.51.100.5']", true],
      ['[ipv4-addr:value = 5]', false],
      ['[ipv4-addr:value != 5]', true],
      ['[ipv4-addr:value > 5]', false],
      ['[ipv4-addr:value NOT > 5]', false],
      ['[network-traffic:dst_port = 443.0]', true],
      ['[network-traffic:dst_port >= 443 AND network-traffic:dst_port < 444]', true],
      ["[network-traffic:protocols[*] = 'tls']", true],
      ["[network-traffic:protocols[1] = 'tls']", true],
      ["[network-traffic:protocols[0] = 'tls']", false],
      ["[network-traffic:protocols[-1] = 'tls']", false],
      ["[network-traffic:protocols[*] NOT = 'tls']", true],
      ["[network-traffic:dst_ref.value = '198.51.100.5']", true],
      ["[network-traffic:dst_ref = '0']", false],
      ["[network-traffic:src_payload_ref.payload_bin = b'AAEC']", true],
      ["[network-traffic:src_payload_ref.header_hex = h'CAFE']", true],
      ["[artifact:header_hex > h'ca']", true],
      ["[artifact:payload_bin = '\u0000\u0001\u0002']", true],
      ["[file:created = t'2004-10-11T00:00:00.500Z']", true],
      ["[file:created > t'2004-10-11T00:00:00Z']", true],
      ["[file:name IN ('a', 'evil.exe')]", true],
      ["[file:name NOT IN ('a', 'evil.exe') AND file:size = 25536]", false],
      ["[file:name LIKE 'evil._xe']", true],
      ["[file:name LIKE 'EVIL%']", false],
      ["[file:name MATCHES '^e.+\\\\.exe$']", true],
      ["[file:name NOT MATCHES 'x']", true],
      ["[file:name = 'cafe\u0301']", true],
      ["[file:parent_directory_ref.path = 'C:\\\\Windows']", true],
      ["[ipv4-addr:value ISSUBSET '198.51.100.0/24']", true],
      ["[ipv4-addr:value ISSUBSET '198.51.101.0/24']", false],
      ["[ipv4-addr:value ISSUPERSET '198.51.100.5/32']", true],
      ["[ipv4-addr:value NOT ISSUBSET '10.0.0.0/8']", true],
      ["[file:size ISSUBSET '10.0.0.0/8']", false],
      ['[EXISTS file:hashes]', true],
      ['[EXISTS file:hashes.md5]', false],
      ["[file:name = 'evil.exe' AND file:name = 'café']", false],
      ["[file:name = 'evil.exe' OR file:name = 'nope']", true],
      ["[ipv4-addr:value = '198.51.100.5' AND file:name = 'evil.exe']", false],
    ];
    for (const [pattern, expected] of cases) {
      it(`${pattern} → ${expected}`, () => assert.equal(match20(pattern), expected));
    }
  });

  describe('when observation expressions are combined (STIX 2.1 §9.5, §9.7)', () => {
    const cases: readonly [string, boolean][] = [
      ["[file:name = 'evil.exe'] REPEATS 2 TIMES", true],
      ["[file:name = 'evil.exe'] REPEATS 3 TIMES", false],
      ["[ipv4-addr:value = '198.51.100.5'] AND [ipv4-addr:value = '198.51.100.5']", false],
      ["[file:name = 'evil.exe'] AND [file:name = 'evil.exe']", true],
      ["[ipv4-addr:value = '198.51.100.5'] FOLLOWEDBY [file:name = 'evil.exe']", true],
      ["[file:name = 'evil.exe'] FOLLOWEDBY [ipv4-addr:value = '198.51.100.5']", false],
      ["[file:name = 'evil.exe'] FOLLOWEDBY [file:name = 'evil.exe']", true],
      ["([ipv4-addr:value = '198.51.100.5'] AND [file:name = 'evil.exe']) WITHIN 60 SECONDS", true],
      ["([ipv4-addr:value = '198.51.100.5'] AND [file:name = 'evil.exe']) WITHIN 59.5 SECONDS", false],
      ["[file:name = 'evil.exe'] START t'2004-10-11T21:46:58Z' STOP t'2004-10-12T00:00:00Z'", true],
      ["[file:name = 'evil.exe'] START t'2004-10-11T21:40:00Z' STOP t'2004-10-11T21:45:58Z'", false],
      ["[file:name = 'evil.exe'] START t'2004-10-12T00:00:00Z' STOP t'2004-10-11T00:00:00Z'", false],
      ["[file:name = 'nope'] OR [ipv4-addr:value = '198.51.100.5']", true],
      ["([file:name = 'nope'] OR [file:name = 'evil.exe']) REPEATS 2 TIMES WITHIN 1 SECONDS", true],
      ["[ipv4-addr:value = '198.51.100.5'] REPEATS 2 TIMES OR [file:size = 1]", false],
    ];
    for (const [pattern, expected] of cases) {
      it(`${pattern} → ${expected}`, () => assert.equal(match20(pattern), expected));
    }
  });

  describe('when observed data uses the STIX 2.1 form', () => {
    const bundle = {
      type: 'bundle',
      id: 'bundle--44af6c39-c09b-49c5-9de2-394224b04982',
      objects: [
        {
          type: 'observed-data',
          id: 'observed-data--b67d30ff-02ac-498a-92f9-32f845f448cf',
          spec_version: '2.1',
          created: '2016-04-06T19:58:16.000Z',
          modified: '2016-04-06T19:58:16.000Z',
          first_observed: '2015-12-21T19:00:00Z',
          last_observed: '2015-12-21T19:00:00Z',
          number_observed: 50,
          object_refs: [
            'domain-name--ecb120bf-2694-4902-a737-62b74539a41b',
            'ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd',
          ],
        },
        {
          type: 'domain-name',
          id: 'domain-name--ecb120bf-2694-4902-a737-62b74539a41b',
          value: 'example.com',
          resolves_to_refs: ['ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd'],
        },
        { type: 'ipv4-addr', id: 'ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd', value: '203.0.113.1' },
        { type: 'ipv4-addr', id: 'ipv4-addr--aaaaaaaa-6336-5bc5-b98d-13d6226742dd', value: '203.0.113.2' },
      ],
    };
    it('follows object_refs into the SCOs of the bundle', () => {
      assert.equal(matchPattern("[domain-name:value = 'example.com']", [bundle]), true);
      assert.equal(matchPattern("[domain-name:resolves_to_refs[*].value = '203.0.113.1']", [bundle]), true);
      assert.equal(matchPattern("[domain-name:resolves_to_refs[0].value = '203.0.113.1']", [bundle]), true);
      assert.equal(matchPattern("[ipv4-addr:value = '203.0.113.2']", [bundle]), false);
    });
    it('accepts a flat list of observed-data and SCOs', () => {
      assert.equal(
        matchPattern("[domain-name:value = 'example.com'] REPEATS 50 TIMES", bundle.objects),
        true,
      );
      assert.equal(
        matchPattern("[domain-name:value = 'example.com'] REPEATS 51 TIMES", bundle.objects),
        false,
      );
    });
    it('refuses the 2.1 form when 2.0 is selected', () => {
      assert.throws(
        () => matchPattern("[domain-name:value = 'x']", [bundle], { stixVersion: '2.0' }),
        (e: unknown) => e instanceof PatternEvaluationError && e.code === 'OBSERVED_DATA_INVALID',
      );
    });
  });

  describe('findMatch', () => {
    it('returns the observed-data of a satisfying binding', () => {
      const evidence = findMatch(
        "[ipv4-addr:value = '198.51.100.5'] FOLLOWEDBY [file:name = 'evil.exe']",
        v20,
        {
          stixVersion: '2.0',
        },
      );
      assert.deepEqual(
        evidence?.observations.map((o) => o.id),
        [
          'observed-data--00000000-0000-4000-8000-000000000001',
          'observed-data--00000000-0000-4000-8000-000000000002',
        ],
      );
      assert.equal(findMatch("[file:name = 'nope']", v20, { stixVersion: '2.0' }), undefined);
    });
  });

  it('stops hostile combinations with EVALUATION_LIMIT', () => {
    const many = Array.from({ length: 30 }, (_, i) => od(i, T0, T0, 1, { '0': { type: 'x', v: i + 1 } }));
    assert.throws(
      () =>
        matchPattern('([x:v > 0] AND [x:v > 0]) REPEATS 20 TIMES', many, {
          stixVersion: '2.0',
          maxSteps: 100_000,
        }),
      (e: unknown) => e instanceof PatternEvaluationError && e.code === 'EVALUATION_LIMIT',
    );
  });
});

const patterns = [
  "[x:a = 'v']",
  '[x:a[*].b > 1 OR EXISTS x:c_ref.d]',
  "[x:a LIKE '%v%' AND x:b MATCHES '^(a|b)*$'] REPEATS 2 TIMES",
  "[x:a ISSUBSET '10.0.0.0/8'] FOLLOWEDBY [x:a_refs[0].b = t'2020-01-01T00:00:00Z']",
  "([x:a IN ('v', 'w')] AND [x:b_hex = h'00']) WITHIN 5 SECONDS",
].map(parsePattern);

describe('matchPattern properties', () => {
  it('never throws on arbitrary SCO content in well-formed observed-data', () => {
    const sco = fc.dictionary(
      fc.constantFrom('type', 'a', 'b', 'c_ref', 'a_refs', 'b_hex', 'd'),
      fc.oneof(fc.constant('x'), fc.jsonValue({ maxDepth: 3 })),
    );
    const observation = fc.record({
      type: fc.constant('observed-data'),
      first_observed: fc.constant('2020-01-01T00:00:00Z'),
      last_observed: fc.constantFrom('2020-01-01T00:00:00Z', '2020-01-01T00:00:03.5Z'),
      number_observed: fc.integer({ min: 1, max: 3 }),
      objects: fc.dictionary(fc.constantFrom('0', '1', '2'), sco),
    });
    fc.assert(
      fc.property(
        fc.constantFrom(...patterns),
        fc.array(observation, { maxLength: 4 }),
        (pattern, observed) => {
          assert.equal(typeof matchPattern(pattern, observed, { stixVersion: '2.0' }), 'boolean');
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('only raises PatternEvaluationError on arbitrary JSON', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...patterns),
        fc.array(fc.jsonValue({ maxDepth: 4 }), { maxLength: 4 }),
        (p, observed) => {
          try {
            matchPattern(p, observed);
          } catch (error) {
            assert.ok(error instanceof PatternEvaluationError);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
