import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { StixParseError } from '../errors.ts';
import { serializeBundle } from './export.ts';
import { type BundleEvent, BundleStreamParser, parseBundleStream } from './stream.ts';

function parseInChunks(text: string, sizes: readonly number[]): BundleEvent[] {
  const parser = new BundleStreamParser();
  const events: BundleEvent[] = [];
  let at = 0;
  let i = 0;
  while (at < text.length) {
    const size = Math.max(1, sizes[i++ % Math.max(1, sizes.length)] ?? 1);
    events.push(...parser.push(text.slice(at, at + size)));
    at += size;
  }
  events.push(...parser.end());
  return events;
}

async function* chunks(text: string, size: number): AsyncGenerator<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

const sample = {
  type: 'bundle',
  id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d',
  objects: [
    { type: 'identity', id: 'identity--1', name: 'a "quoted" \\ name ] } ,', sectors: ['x'] },
    {
      type: 'note',
      id: 'note--1',
      content: 'unicode ☺ 😀',
      object_refs: ['identity--1'],
      n: -1.5e3,
      t: true,
      z: null,
    },
  ],
};

describe('BundleStreamParser', () => {
  it('emits each object and the envelope, however the text is split', () => {
    const text = JSON.stringify(sample, null, 1);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 20 }), (sizes) => {
        const events = parseInChunks(text, sizes);
        const objects = events
          .filter((e) => e.kind === 'object')
          .map((e) => (e.kind === 'object' ? e.value : null));
        assert.deepEqual(objects, sample.objects);
        const props = Object.fromEntries(
          events.flatMap((e) => (e.kind === 'property' ? [[e.key, e.value]] : [])),
        );
        assert.deepEqual(props, { type: 'bundle', id: sample.id });
      }),
      { numRuns: 300 },
    );
  });

  it('decodes UTF-8 split across chunk boundaries', async () => {
    const values: unknown[] = [];
    for await (const e of parseBundleStream(chunks(JSON.stringify(sample), 3)))
      if (e.kind === 'object') values.push(e.value);
    assert.deepEqual(values, sample.objects);
  });

  describe('when the input is not a well-formed bundle', () => {
    for (const bad of [
      '',
      '[]',
      '{"objects": [{"a": 1}',
      '{"objects": [1 2]}',
      '{"a" 1}',
      '{"a": 1} x',
      '{"a": tru}',
    ]) {
      it(`raises StixParseError for ${JSON.stringify(bad)}`, () => {
        assert.throws(() => parseInChunks(bad, [4]), StixParseError);
      });
    }
    it('refuses objects over the size limit', () => {
      const parser = new BundleStreamParser({ maxObjectChars: 10 });
      assert.throws(
        () => parser.push('{"objects": [{"name": "much too long"}]}'),
        (e: unknown) => e instanceof StixParseError && e.code === 'STIX_TOO_LARGE',
      );
    });
  });

  it('only ever throws StixParseError, on any text', () => {
    const text = fc.oneof(
      fc.string({ maxLength: 80 }),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify({ objects: [v], type: 'bundle' })),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v).slice(0, -1)),
    );
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 7 }), (input, size) => {
        try {
          parseInChunks(input, [size]);
        } catch (error) {
          assert.ok(error instanceof StixParseError, String(error));
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('round-trips through serializeBundle', async () => {
    let text = '';
    for await (const chunk of serializeBundle(sample.objects, sample.id)) text += chunk;
    assert.deepEqual(JSON.parse(text), sample);
  });
});
