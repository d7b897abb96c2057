import assert from 'node:assert/strict';
import { it } from 'node:test';
import { MAX_JSON_DEPTH } from '../../core/json-limits.ts';
import { parseJsonText } from './json-text.ts';

const big = (n: number) =>
  JSON.stringify({
    objects: Array.from({ length: n }, (_, i) => ({
      type: 'indicator',
      name: `Ind "${i}" \u00e9\ud83d\ude00 \\ \u0001`,
      n: i * 1.5e-3,
      neg: -i,
      b: i % 2 === 0,
      z: null,
      nested: [[], {}, [1, [2, { k: 'v' }]]],
    })),
    more: false,
  });

it('accepts exactly what JSON.parse accepts, with the same value, small and sliced', async () => {
  const texts = [
    '',
    ' ',
    '{}',
    '[]',
    '[1,]',
    '[,1]',
    '{"a":1,}',
    '{"a" 1}',
    '01',
    '-',
    '1.',
    '1e5',
    '-0.5E-3',
    '"\\u0041"',
    '"a\\"b"',
    '"\\x"',
    '"a\tb"',
    'tru',
    'true ',
    ' null',
    '[1 2]',
    '{"a":[1,{"b":[]}]}',
    '{"a":1}{',
    '"\\ud800"',
    '[[]]]',
    '{"objects": [',
    '"abc',
    '"\\\\"',
    '{"a":"\\\\\\""}',
    '123abc',
    '[true,false,null]',
    '\u00a0[]',
    '{"a":1,"a":2}',
    big(3),
    big(2_000),
    `${big(2_000)}x`,
    `[${'{},'.repeat(50_000)}{}]`,
    `[${'{},'.repeat(50_000)}]`,
    `{"objects":[${'1,'.repeat(40_000)}1}}`,
  ];
  for (const text of texts) {
    let expected: unknown;
    let refused = false;
    try {
      expected = JSON.parse(text);
    } catch {
      refused = true;
    }
    const label = text.length > 40 ? `${text.slice(0, 40)}… (${text.length})` : JSON.stringify(text);
    if (refused) {
      await assert.rejects(parseJsonText(text), { code: 'MALFORMED_JSON' }, label);
    } else {
      assert.deepEqual(await parseJsonText(text), expected, label);
    }
  }
});

it('refuses prototype keys, NUL at its path and deep nesting, in small and sliced bodies', async () => {
  const pad = `{"pad":"${'x'.repeat(70_000)}"}`;
  const cases: [string, string, string?][] = [
    ['{"__proto__":{}}', 'MALFORMED_JSON'],
    ['{"\\u005f_proto__":{}}', 'MALFORMED_JSON'],
    ['{"a":{"constructor":{"prototype":{}}}}', 'MALFORMED_JSON'],
    [`{"objects":[${pad},{"__proto__":1}]}`, 'MALFORMED_JSON'],
    ['{"objects":[{"name":"x\\u0000"}]}', 'VALIDATION_FAILED', 'objects[0].name'],
    ['{"objects":[{},{"a\\u0000b":1}]}', 'VALIDATION_FAILED', 'objects[1].a\u0000b'],
    [`{"objects":[${pad},{"name":"\\u0000"}]}`, 'VALIDATION_FAILED', 'objects[1].name'],
    [`{"objects":[${'{},'.repeat(30_000)}{"name":"\\u0000"}]}`, 'VALIDATION_FAILED', 'objects[30000].name'],
    ['"\\u0000"', 'VALIDATION_FAILED', 'body'],
    [`${'['.repeat(MAX_JSON_DEPTH + 1)}${']'.repeat(MAX_JSON_DEPTH + 1)}`, 'NESTING_TOO_DEEP', 'body'],
    ['['.repeat(20_000), 'NESTING_TOO_DEEP', 'body'],
    [`[${pad},${'['.repeat(40_000)}]`, 'NESTING_TOO_DEEP', 'body'],
  ];
  for (const [text, code, field] of cases) {
    await assert.rejects(parseJsonText(text), (e: { code: string; fields?: string[] }) => {
      assert.equal(e.code, code, text.slice(0, 60));
      if (field !== undefined) assert.deepEqual(e.fields, [field]);
      return true;
    });
  }
  const deepest = `${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`;
  assert.deepEqual(await parseJsonText(deepest), JSON.parse(deepest));
});
