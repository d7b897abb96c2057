import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { matchPattern } from '../evaluate/match.ts';
import { likeAffix } from './affix-index.ts';
import { CompiledMatcher } from './matcher.ts';

const T = '2020-01-01T00:00:00Z';
function observation(objects: Record<string, unknown>, first = T, last = T) {
  return { type: 'observed-data', first_observed: first, last_observed: last, number_observed: 1, objects };
}

const PATTERNS = [
  "[ipv4-addr:value = '10.0.0.1']",
  "[ipv4-addr:value ISSUBSET '10.0.0.0/8']",
  "[ipv4-addr:value ISSUBSET '10.1.0.0/16' OR ipv6-addr:value ISSUBSET '2001:db8::/32']",
  "[domain-name:value IN ('evil.example', 'bad.example')]",
  "[file:hashes.MD5 = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' AND file:name = 'x.exe']",
  "[file:hashes.MD5 = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' OR file:size > 10]",
  "[url:value = 'http://a/'] FOLLOWEDBY [domain-name:value = 'evil.example']",
  "[network-traffic:dst_ref.value = '10.0.0.1' AND network-traffic:dst_port = 443]",
  '[file:size > 10]',
  "[domain-name:value NOT = 'evil.example']",
  "[ipv4-addr:value = '10.0.0.1'] REPEATS 2 TIMES",
  "[domain-name:value LIKE '%.example']",
  "[url:value LIKE 'http://a%' AND url:value NOT LIKE '%b%']",
  "[domain-name:value LIKE 'evil_%']",
];

describe('CompiledMatcher', () => {
  it('classifies indicators by how they are matched', () => {
    const m = new CompiledMatcher();
    for (const [i, p] of PATTERNS.entries()) m.add(i, p);
    assert.deepEqual(m.stats(), { indicators: 14, exact: 4, anchored: 7, unanchored: 3 });
  });

  it('finds exact, anchored and unanchored matches', () => {
    const m = new CompiledMatcher();
    for (const [i, p] of PATTERNS.entries()) m.add(i, p);
    const data = [
      observation({
        '0': { type: 'ipv4-addr', value: '10.0.0.1' },
        '1': { type: 'network-traffic', dst_ref: '0', dst_port: 443, protocols: ['tcp'] },
        '2': { type: 'file', name: 'x.exe', hashes: { MD5: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' }, size: 11 },
      }),
    ];
    assert.deepEqual(m.match(data, '2.0'), [0, 1, 4, 5, 7, 8]);
  });

  it('indexes LIKE patterns by their longest literal prefix or suffix', () => {
    assert.deepEqual(likeAffix('evil%'), { kind: 'prefix', text: 'evil' });
    assert.deepEqual(likeAffix('%.election.example'), { kind: 'suffix', text: '.election.example' });
    assert.deepEqual(likeAffix('a%long-suffix'), { kind: 'suffix', text: 'long-suffix' });
    assert.equal(likeAffix('%x%'), undefined);
  });

  it('removes indicators', () => {
    const m = new CompiledMatcher();
    for (const [i, p] of PATTERNS.entries()) m.add(i, p);
    const data = [observation({ '0': { type: 'ipv4-addr', value: '10.0.0.1' } })];
    assert.deepEqual(m.match(data, '2.0'), [0, 1]);
    assert.equal(m.remove(0, PATTERNS[0]!), true);
    assert.equal(m.remove(1, PATTERNS[1]!), true);
    assert.equal(m.remove(8, PATTERNS[8]!), true);
    assert.equal(m.remove(1, PATTERNS[1]!), false);
    assert.deepEqual(m.match(data, '2.0'), []);
    assert.deepEqual(m.stats(), { indicators: 11, exact: 2, anchored: 7, unanchored: 2 });
  });

  it('agrees with matchPattern on every indicator, on arbitrary observations', () => {
    const m = new CompiledMatcher();
    for (const [i, p] of PATTERNS.entries()) m.add(i, p);
    const sco = fc.oneof(
      fc.record({
        type: fc.constant('ipv4-addr'),
        value: fc.constantFrom('10.0.0.1', '10.1.2.3', '192.0.2.1', '10.0.0.0/24', 'x'),
      }),
      fc.record({ type: fc.constant('ipv6-addr'), value: fc.constantFrom('2001:db8::1', '::1') }),
      fc.record({ type: fc.constant('domain-name'), value: fc.constantFrom('evil.example', 'good.example') }),
      fc.record({ type: fc.constant('url'), value: fc.constantFrom('http://a/', 'http://b/') }),
      fc.record({
        type: fc.constant('file'),
        name: fc.constantFrom('x.exe', 'y'),
        hashes: fc.constantFrom(
          { MD5: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' },
          { MD5: 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb' },
        ),
        size: fc.integer({ min: 0, max: 20 }),
      }),
      fc.record({
        type: fc.constant('network-traffic'),
        dst_ref: fc.constant('0'),
        dst_port: fc.constantFrom(80, 443),
      }),
    );
    const obs = fc
      .tuple(fc.array(sco, { minLength: 1, maxLength: 3 }), fc.constantFrom(T, '2020-01-01T00:00:05Z'))
      .map(([scos, first]) =>
        observation(Object.fromEntries(scos.map((s, i) => [String(i), s])), first, '2020-01-01T00:00:05Z'),
      );
    fc.assert(
      fc.property(fc.array(obs, { minLength: 1, maxLength: 3 }), (data) => {
        const expected = PATTERNS.flatMap((p, i) =>
          matchPattern(p, data, { stixVersion: '2.0' }) ? [i] : [],
        );
        assert.deepEqual(m.match(data, '2.0'), expected);
      }),
      { numRuns: 700 },
    );
  });
});
