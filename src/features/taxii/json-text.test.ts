import assert from 'node:assert/strict';
import { it } from 'node:test';
import { MAX_JSON_DEPTH } from '../../core/json-limits.ts';
import { parseEnvelopeText, parseJsonText } from './json-text.ts';

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

/**
 * parseEnvelopeText's value with its deferred `objects` list read back, run by run: it must be
 * what parseJsonText gives for the same text, and refuse what it refuses.
 */
async function envelopeValue(text: string | Buffer): Promise<unknown> {
  const { value, objects } = await parseEnvelopeText(text);
  if (objects === undefined) return value;
  const list: unknown[] = [];
  for (let i = 0; i < objects.runCount; i++) list.push(...objects.run(i));
  assert.equal(list.length, objects.length);
  return { ...(value as object), objects: list };
}

const parsers = [parseJsonText, envelopeValue];
const pad = `{"pad":"${'x'.repeat(70_000)}"}`;

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
    // A member too large for a run, among small ones; `objects` given twice (the last counts).
    `{"objects":[1,${pad},2,${pad}],"more":true}`,
    `{"objects":[${pad}],"objects":[1]}`,
    `{"objects":[1],"objects":[${pad},3]}`,
    `{"objects":[${pad},3],"x":{"objects":[]},"y":"${'y'.repeat(70_000)}"}`,
    `{"objects":[${'{},'.repeat(50_000)}{}],"objects":{"a":1}}`,
    `{"objects":{"k":[${pad}]}}`,
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
    for (const parse of parsers) {
      if (refused) await assert.rejects(parse(text), { code: 'MALFORMED_JSON' }, label);
      else assert.deepEqual(await parse(text), expected, label);
    }
  }
});

it('refuses prototype keys, NUL at its path and deep nesting, in small and sliced bodies', async () => {
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
    // In a deferred `objects` list: in a run, in a member too large for a run, and after one.
    [`{"objects":[${'{},'.repeat(30_000)}{"__proto__":1}]}`, 'MALFORMED_JSON'],
    [`{"objects":[${'{},'.repeat(30_000)}{"a":tru}]}`, 'MALFORMED_JSON'],
    [`{"objects":[1,${pad.slice(0, -1)},"n":"\\u0000"}]}`, 'VALIDATION_FAILED', 'objects[1].n'],
    [`{"objects":[1,${pad},2,${pad},{"q":["\\u0000"]}]}`, 'VALIDATION_FAILED', 'objects[4].q[0]'],
    [
      `{"objects":[${pad},${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}]}`,
      'NESTING_TOO_DEEP',
      'body',
    ],
  ];
  for (const [text, code, field] of cases) {
    for (const parse of parsers) {
      await assert.rejects(parse(text), (e: { code: string; fields?: string[] }) => {
        assert.equal(e.code, code, `${parse.name}: ${text.slice(0, 60)}`);
        if (field !== undefined) assert.deepEqual(e.fields, [field]);
        return true;
      });
    }
  }
  const deepest = `${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`;
  for (const parse of parsers) assert.deepEqual(await parse(deepest), JSON.parse(deepest));
});

it('defers a large `objects` list of an envelope as runs, and nothing else', async () => {
  const large = await parseEnvelopeText(big(2_000));
  assert.equal(large.objects?.length, 2_000);
  assert.ok((large.objects?.runCount ?? 0) > 1, 'a large list is several runs');
  assert.equal(Object.hasOwn(large.value as object, 'objects'), false);
  assert.equal((await parseEnvelopeText(big(3))).objects, undefined, 'a small body is parsed whole');
  const nested = await parseEnvelopeText(`{"x":{"objects":[${pad},1]}}`);
  assert.equal(nested.objects, undefined, 'only the envelope’s own list is deferred');
});

it('parses bytes as their UTF-8 text: characters of several bytes, invalid sequences, a raw NUL', async () => {
  const multi = Buffer.from(big(2_000), 'utf8');
  assert.deepEqual(await envelopeValue(multi), JSON.parse(multi.toString('utf8')));
  // An invalid sequence decodes to U+FFFD, as a body decoded whole would.
  const invalid = Buffer.concat([
    Buffer.from('{"objects":[{"name":"'),
    Buffer.from([0xff, 0xc3]),
    Buffer.from('"}]}'),
  ]);
  assert.deepEqual(await envelopeValue(invalid), JSON.parse(invalid.toString('utf8')));
  // A NUL byte is never valid JSON text, in a string or between values.
  for (const raw of ['{"objects":[{"name":"a\u0000"}]}', '{"objects":[1,\u00002]}']) {
    for (const parse of parsers) await assert.rejects(parse(Buffer.from(raw)), { code: 'MALFORMED_JSON' });
  }
});
