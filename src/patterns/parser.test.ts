import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { PatternSyntaxError } from './errors.ts';
import { parsePattern } from './parser.ts';
import { printPattern } from './printer.ts';

// Examples from STIX 2.1 §9.9 and the reference validator's test suite.
const VALID = [
  "[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']",
  "[email-message:from_ref.value MATCHES '.+\\\\@example\\\\.com$' AND email-message:body_multipart[*].body_raw_ref.name LIKE 'pdf%']",
  "[ipv4-addr:value = '198.51.100.1/32' OR ipv4-addr:value = '203.0.113.33/32' OR ipv6-addr:value = '2001:0db8:dead:beef:dead:beef:dead:0001/128'] FOLLOWEDBY [domain-name:value = 'example.com'] WITHIN 600 SECONDS",
  "[file:name = 'foo.dll' AND file:parent_directory_ref.path = 'C:\\\\Windows\\\\System32'] REPEATS 5 TIMES WITHIN 1800 SECONDS",
  "[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '203.0.113.33'] START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00Z'",
  "[windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\foo\\\\bar'] AND [x-usb-device:usbdrive.serial_number = '575833314133343231313937']",
  "[x509-certificate:issuer = 'CN=WEBMAIL' AND x509-certificate:serial_number = '4c:0b:1d:19:74:86:a7:66:b4:1a:bf:40:27:21:76:28']",
  "[artifact:mime_type = 'application/vnd.tcpdump.pcap' AND artifact:payload_bin MATCHES '\\\\xd4\\\\xc3\\\\xb2\\\\xa1\\\\x02\\\\x00\\\\x04\\\\x00']",
  "[file:extensions.'windows-pebinary-ext'.sections[*].entropy > 7.0]",
  "[user-account:account_type = 'unix' AND user-account:user_id = '1007' AND user-account:account_login = 'Peter'] AND [process:pid = 1 OR process:command_line LIKE '%--sec%']",
  "[ipv4-addr:value ISSUBSET '198.51.100.0/24'] OR [ipv4-addr:value ISSUPERSET '198.51.100.1/32']",
  "[a:b IN ('x', 'y') AND a:c IN (1, 2.5) AND a:d IN (h'00ff', b'AAE=') AND a:e IN (t'2016-01-01T00:00:00Z')] /* comment */ // tail",
  "[a:b NOT = 'x' AND NOT_A:c <> 2 AND a:d == 3 AND EXISTS a:e[0][*].f]",
  '[a:b > -1 AND a:c < +2 AND a:d >= -0.5 AND a:e <= .5]',
];

const INVALID: readonly [string, string][] = [
  ["[file:name = 'x'", 'PATTERN_UNEXPECTED_END'],
  ["[file:name IN ('x', 1)]", 'PATTERN_INVALID_LITERAL'],
  ['[file:name IN (1, true)]', 'PATTERN_INVALID_LITERAL'],
  ["[file:name = 'x' AND]", 'PATTERN_UNEXPECTED_TOKEN'],
  ["[file:name = 'x]", 'PATTERN_UNTERMINATED_STRING'],
  ["[file:name = 'a\\b']", 'PATTERN_INVALID_ESCAPE'],
  ["[file:name = 'x'] WITHIN 0 SECONDS", 'PATTERN_INVALID_QUALIFIER'],
  ["[file:name = 'x'] REPEATS 0 TIMES", 'PATTERN_INVALID_QUALIFIER'],
  ["[file:name = 'x'] WITHIN -5 SECONDS", 'PATTERN_UNEXPECTED_TOKEN'],
  ["[file:name = 'x'] START '2016-01-01T00:00:00Z' STOP '2017-01-01T00:00:00Z'", 'PATTERN_UNEXPECTED_TOKEN'],
  ["[file:created = t'2016-13-01T00:00:00Z']", 'PATTERN_INVALID_LITERAL'],
  ["[file:created = t'2016-02-30T00:00:00Z']", 'PATTERN_INVALID_LITERAL'],
  ["[file:x = h'abc']", 'PATTERN_INVALID_LITERAL'],
  ["[file:x = b'AAE']", 'PATTERN_INVALID_LITERAL'],
  ['[file:x > true]', 'PATTERN_UNEXPECTED_TOKEN'],
  ['[file:x LIKE 5]', 'PATTERN_UNEXPECTED_TOKEN'],
  ["[file:x MATCHES '(?=a)']", 'PATTERN_INVALID_REGEX'],
  ["[file:AND = 'x']", 'PATTERN_UNEXPECTED_TOKEN'],
  ["[file:a-b = 'x']", 'PATTERN_UNEXPECTED_TOKEN'],
  ["file:name = 'x'", 'PATTERN_UNEXPECTED_TOKEN'],
  ["[file:name = 'x'] [file:name = 'y']", 'PATTERN_UNEXPECTED_TOKEN'],
  ["[file:name ~ 'x']", 'PATTERN_UNEXPECTED_CHARACTER'],
  ['', 'PATTERN_UNEXPECTED_END'],
  [`${'('.repeat(500)}[a:b = 1]${')'.repeat(500)}`, 'PATTERN_TOO_COMPLEX'],
  [Array.from({ length: 1001 }, () => '[a:b = 1]').join(' AND '), 'PATTERN_TOO_COMPLEX'],
];

function syntaxCode(text: string): string | undefined {
  try {
    parsePattern(text);
    return undefined;
  } catch (error) {
    assert.ok(error instanceof PatternSyntaxError, `not a PatternSyntaxError: ${String(error)}`);
    return error.code;
  }
}

describe('parsePattern', () => {
  describe('when the pattern follows the STIX 2.1 grammar', () => {
    for (const text of VALID) {
      it(`accepts ${text.slice(0, 60)}`, () => {
        const ast = parsePattern(text);
        assert.deepEqual(parsePattern(printPattern(ast)), ast);
      });
    }
  });

  describe('when the pattern is invalid', () => {
    for (const [text, code] of INVALID) {
      it(`rejects ${text.slice(0, 50) || '(empty)'} with ${code}`, () =>
        assert.equal(syntaxCode(text), code));
    }
  });

  it('reports the position of the problem', () => {
    try {
      parsePattern("[file:name = 'x'\n AND ]");
      assert.fail('should throw');
    } catch (error) {
      assert.ok(error instanceof PatternSyntaxError);
      assert.deepEqual(error.position, { offset: 22, line: 2, column: 6 });
    }
  });

  it('keeps precedence: AND binds tighter than OR, qualifiers tightest', () => {
    const ast = parsePattern('[a:b = 1] OR [a:c = 2] AND [a:d = 3] WITHIN 5 SECONDS');
    assert.equal(ast.expression.kind, 'obs-or');
    const or = ast.expression;
    assert.ok(or.kind === 'obs-or');
    assert.equal(or.operands[1]?.kind, 'obs-and');
  });

  it('keeps FOLLOWEDBY left-associative', () => {
    const ast = parsePattern('[a:b = 1] FOLLOWEDBY [a:c = 2] FOLLOWEDBY [a:d = 3]');
    assert.ok(ast.expression.kind === 'followedby');
    assert.equal(ast.expression.left.kind, 'followedby');
    const right = parsePattern('[a:b = 1] FOLLOWEDBY ([a:c = 2] FOLLOWEDBY [a:d = 3])');
    assert.equal(printPattern(right), '[a:b = 1] FOLLOWEDBY ([a:c = 2] FOLLOWEDBY [a:d = 3])');
  });
});

const tokenSoup = fc
  .array(
    fc.constantFrom(
      '[',
      ']',
      '(',
      ')',
      'file:name',
      "file:hashes.'SHA-256'",
      'x-a:b[*].c',
      'a:b[1]',
      '=',
      '!=',
      '>',
      '<=',
      'NOT',
      'AND',
      'OR',
      'FOLLOWEDBY',
      'IN',
      "('a', 1)",
      'LIKE',
      'MATCHES',
      'ISSUBSET',
      'EXISTS',
      "'x'",
      "'a.*b'",
      '1',
      '-2.5',
      'true',
      "h'00'",
      "b'AAAA'",
      "t'2016-01-01T00:00:00Z'",
      'WITHIN 5 SECONDS',
      'REPEATS 2 TIMES',
      "START t'2016-01-01T00:00:00Z' STOP t'2017-01-01T00:00:00Z'",
    ),
    { maxLength: 30 },
  )
  .map((parts) => parts.join(' '));

const comparison = fc
  .tuple(
    fc.constantFrom('file:name', "file:hashes.'SHA-256'", 'a:b[*].c', 'ipv4-addr:value', 'a:b[0]'),
    fc.constantFrom('=', '!=', 'NOT =', '>', '<=', 'LIKE', 'MATCHES', 'ISSUBSET', 'IN'),
    fc.constantFrom("'x'", "'10.0.0.0/8'", '5', '-1.25', "t'2016-01-01T00:00:00Z'", "('a', 'b')"),
  )
  .map(([p, o, v]) => `${p} ${o} ${v}`);

const { pattern: generated } = fc.letrec<{ cmp: string; obs: string; pattern: string }>((tie) => ({
  cmp: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    comparison,
    fc.tuple(tie('cmp'), fc.constantFrom('AND', 'OR'), tie('cmp')).map(([a, o, b]) => `${a} ${o} ${b}`),
    tie('cmp').map((c) => `(${c})`),
  ),
  obs: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    tie('cmp').map((c) => `[${c}]`),
    fc
      .tuple(tie('obs'), fc.constantFrom('AND', 'OR', 'FOLLOWEDBY'), tie('obs'))
      .map(([a, o, b]) => `${a} ${o} ${b}`),
    tie('obs').map((o) => `(${o})`),
    tie('obs').map((o) => `(${o}) WITHIN 5.5 SECONDS`),
    tie('obs').map((o) => `(${o}) REPEATS 3 TIMES`),
  ),
  pattern: tie('obs'),
}));

describe('parsePattern properties', () => {
  it('only ever throws PatternSyntaxError, on any string', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 60 }), tokenSoup, fc.string({ unit: 'binary', maxLength: 40 })),
        (text) => {
          syntaxCode(text);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('printing an AST and parsing it again gives the same AST', () => {
    fc.assert(
      fc.property(fc.oneof(generated, tokenSoup), (text) => {
        let ast: ReturnType<typeof parsePattern>;
        try {
          ast = parsePattern(text);
        } catch {
          return;
        }
        assert.deepEqual(parsePattern(printPattern(ast)), ast);
      }),
      { numRuns: 1500 },
    );
  });
});
