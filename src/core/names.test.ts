import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { nameSkeleton, namesConfusable, normalizeName } from './names.ts';

const ok = (value: string) => {
  const r = normalizeName(value);
  assert.ok(r.ok, `${JSON.stringify(value)} should be accepted`);
  return r.name;
};
const problem = (value: string) => {
  const r = normalizeName(value);
  assert.ok(!r.ok, `${JSON.stringify(value)} should be refused`);
  return r.problem;
};

describe('normalizeName', () => {
  it('applies NFKC and collapses whitespace', () => {
    assert.equal(ok('  Wake   County  '), 'Wake County');
    assert.equal(ok('Ｗａｋｅ Ｃｏｕｎｔｙ'), 'Wake County');
    assert.equal(ok('𝐖𝐚𝐤𝐞'), 'Wake');
    assert.equal(ok('ﬁnance'), 'finance');
    assert.equal(ok('Cafe\u0301'), 'Café');
    assert.equal(ok('Wake\u3000County'), 'Wake County');
    assert.equal(ok('Wake\u00a0County'), 'Wake County');
  });

  it('refuses zero-width, bidirectional, control and other invisible characters', () => {
    for (const bad of [
      'Wake\u200bCounty',
      'Wake\u200cCounty',
      'Wake\u200dCounty',
      '\u202eytnuoC ekaW',
      'Wake\u2066County\u2069',
      'Wake\u200eCounty',
      '\ufeffWake',
      'Wa\u00adke',
      'Wake\u2060County',
      'Wake\u0007',
      'Wake\nCounty',
      'Wake\tCounty',
      'Wake\u2028County',
      'Wake\ue000',
      'Wake\ud800',
      'Wake\u3164',
      'Wake\ufe0f',
      'Wake\u034f',
      '\u2800',
    ]) {
      assert.equal(problem(bad), 'invisible', JSON.stringify(bad));
    }
  });

  it('refuses empty and overlong names', () => {
    assert.equal(problem(''), 'length');
    assert.equal(problem('   '), 'length');
    assert.equal(problem('x'.repeat(201)), 'length');
    assert.equal(normalizeName('x'.repeat(101), 100).ok, false);
    assert.equal(ok('x'.repeat(200)).length, 200);
  });
});

describe('nameSkeleton', () => {
  it('finds the look-alikes that pose as another organization', () => {
    const pairs: [string, string][] = [
      ['Wake County', 'wake county'],
      ['Wake County', 'WAKE-COUNTY'],
      ['Wake County', 'Wake  County.'],
      ['Wake County', 'W\u0430ke C\u043eunty'], // Cyrillic а and о
      ['PayPal', 'P\u0430yP\u0430l'],
      ['PayPal', 'PayPaI'], // capital I for l
      ['Ohio SOS', '0hio S0S'],
      ['Modern', 'Modem'], // rn / m
      ['Swing', 'Svving'],
      ['Bank', 'Bánk'],
      ['ELECTIONS', '\u0395L\u0395CTI\u039FNS'], // Greek capitals
      ['Wake County', 'Ｗａｋｅ Ｃｏｕｎｔｙ'],
      ['Straße', 'Strasse'],
      ['Illinois', 'ILLINOIS'],
      ['Illinois', '1llinois'],
    ];
    for (const [a, b] of pairs) assert.ok(namesConfusable(a, b), `${a} / ${b}`);
  });

  it('tells different names apart', () => {
    const pairs: [string, string][] = [
      ['Wake County', 'Wade County'],
      ['Durham County', 'Durham City'],
      ['Ohio SOS', 'Iowa SOS'],
      ['Board 2', 'Board 3'],
    ];
    for (const [a, b] of pairs) assert.ok(!namesConfusable(a, b), `${a} / ${b}`);
  });
});

/** Latin letters and the look-alikes the skeleton maps them from. */
const HOMOGLYPHS: Readonly<Record<string, readonly string[]>> = {
  a: ['\u0430', '\u03b1'],
  c: ['\u0441'],
  e: ['\u0435'],
  o: ['\u043e', '\u03bf', '0'],
  p: ['\u0440', '\u03c1'],
  x: ['\u0445'],
  y: ['\u0443'],
};

describe('names: properties', () => {
  const anyText = fc.string({ unit: 'grapheme', maxLength: 40 });
  const latinName = fc.stringMatching(/^[A-Za-z][A-Za-z ]{0,30}$/);

  it('normalization is idempotent, and what it accepts is NFKC without refused characters', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const r = normalizeName(s);
        if (!r.ok) return;
        assert.equal(r.name, r.name.normalize('NFKC'));
        assert.ok(!/[\p{Cc}\p{Cf}\p{Co}\p{Cs}]/u.test(r.name));
        assert.equal(r.name, r.name.trim());
        assert.deepEqual(normalizeName(r.name), r);
      }),
      { numRuns: 500 },
    );
  });

  it('any format character anywhere is refused', () => {
    const cf = fc.constantFrom(
      '\u200b',
      '\u200c',
      '\u200d',
      '\u200e',
      '\u200f',
      '\u202a',
      '\u202e',
      '\u2066',
      '\u2069',
      '\u2060',
      '\ufeff',
      '\u00ad',
      '\u061c',
    );
    fc.assert(
      fc.property(anyText, cf, anyText, (before, bad, after) => {
        assert.deepEqual(normalizeName(before + bad + after), { ok: false, problem: 'invisible' });
      }),
      { numRuns: 300 },
    );
  });

  it('the skeleton is idempotent and ignores case, spacing, punctuation and normalization form', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const k = nameSkeleton(s);
        assert.equal(nameSkeleton(k), k);
        assert.equal(nameSkeleton(s.normalize('NFD')), k);
        assert.equal(nameSkeleton(s.normalize('NFKC')), k);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(latinName, fc.constantFrom(' ', '-', '.', '_', ', '), (s, sep) => {
        const k = nameSkeleton(s);
        assert.equal(nameSkeleton(s.toUpperCase()), k);
        assert.equal(nameSkeleton(s.toLowerCase()), k);
        assert.equal(nameSkeleton(s.split('').join(sep)), k);
      }),
      { numRuns: 300 },
    );
  });

  it('swapping Latin letters for their look-alikes keeps the skeleton', () => {
    fc.assert(
      fc.property(latinName, fc.integer({ min: 0, max: 1000 }), (s, seed) => {
        let i = seed;
        const swapped = [...s.toLowerCase()]
          .map((ch) => {
            const options = HOMOGLYPHS[ch];
            i += 1;
            return options === undefined || i % 2 === 0 ? ch : (options[i % options.length] ?? ch);
          })
          .join('');
        assert.equal(nameSkeleton(swapped), nameSkeleton(s));
      }),
      { numRuns: 300 },
    );
  });
});
