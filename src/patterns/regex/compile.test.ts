import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { compileRegex } from './compile.ts';
import { RegexSyntaxError } from './syntax.ts';

describe('compileRegex', () => {
  describe('when the expression is in the supported PCRE subset', () => {
    const cases: readonly [string, string, boolean][] = [
      ['abc', 'xxabcxx', true],
      ['^abc$', 'abc', true],
      ['^abc$', 'abc\n', true],
      ['^abc$', 'xabc', false],
      ['a.c', 'a\nc', false],
      ['(?s)a.c', 'a\nc', true],
      ['(?i)ABC', 'xabcx', true],
      ['colou?r', 'color', true],
      ['\\d{3}-\\d{4}', 'call 555-1234', true],
      ['\\d{3}-\\d{4}', 'call 55-1234', false],
      ['^(foo|bar)+baz$', 'foobarfoobaz', true],
      ['[^a-z]', 'abc', false],
      ['[a-c\\d]+$', 'zz1b', true],
      ['\\bword\\b', 'a word here', true],
      ['\\bword\\b', 'swordfish', false],
      ['.+\\@example\\.com$', 'jdoe@example.com', true],
      ['x{2,3}y', 'xxxy', true],
      ['^x{2,3}y', 'xxxxy', false],
      ['a{,2}', 'a{,2}', true],
      ['\\x41\\x{263a}', 'A☺', true],
      ['^.$', '😀', true],
      ['a*?b', 'aaab', true],
      ['', 'anything', true],
    ];
    for (const [source, input, expected] of cases) {
      it(`/${source}/ on ${JSON.stringify(input)} is ${expected}`, () => {
        assert.equal(compileRegex(source).test(input), expected);
      });
    }
  });

  describe('when the expression is not regular or not valid', () => {
    for (const source of [
      '(a)\\1',
      '(?=a)',
      '(?<!a)b',
      'a++',
      '[[:alpha:]]',
      '(ab',
      'ab)',
      '*a',
      'a{5,2}',
      'a{2000}',
      '\\p{L}',
    ]) {
      it(`rejects /${source}/ with RegexSyntaxError`, () => {
        assert.throws(() => compileRegex(source), RegexSyntaxError);
      });
    }
  });

  it('runs in linear time on inputs that make backtracking engines explode', () => {
    const started = performance.now();
    const re = compileRegex('^(a+)+$');
    assert.equal(re.test(`${'a'.repeat(20_000)}!`), false);
    assert.equal(compileRegex('(a|aa)*c').test('a'.repeat(20_000)), false);
    assert.ok(performance.now() - started < 2000);
  });

  it('agrees with the JavaScript engine on simple expressions', () => {
    const atom = fc.constantFrom('a', 'b', '.', '[ab]', '[^a]', '\\d', '(a|b)', '(ab)');
    const quant = fc.constantFrom('', '*', '+', '?', '{1,2}');
    const source = fc
      .array(fc.tuple(atom, quant), { minLength: 1, maxLength: 5 })
      .map((parts) => parts.map(([a, q]) => a + q).join(''));
    fc.assert(
      fc.property(
        source,
        fc.string({ maxLength: 12 }).map((s) => s.replace(/[^ab1\n]/g, 'a')),
        (src, input) => {
          assert.equal(compileRegex(src).test(input), new RegExp(src).test(input));
        },
      ),
      { numRuns: 800 },
    );
  });
});
