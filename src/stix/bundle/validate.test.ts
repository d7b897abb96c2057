import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateBundleStream } from './validate.ts';

async function* once(text: string): AsyncGenerator<string> {
  yield text;
}

const identity = {
  type: 'identity',
  spec_version: '2.1',
  id: 'identity--f431f809-377b-45e0-aa1c-6a4751cae5ff',
  created: '2016-04-06T20:03:00.000Z',
  modified: '2016-04-06T20:03:00.000Z',
  name: 'County election office',
  identity_class: 'organization',
};
const bundleId = 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d';

async function codes(document: unknown): Promise<string[]> {
  const result = await validateBundleStream(once(JSON.stringify(document)));
  return result.issues.map((i) => `${i.severity}:${i.code}:${i.path}`);
}

describe('validateBundleStream', () => {
  it('accepts a valid bundle', async () => {
    assert.deepEqual(await codes({ type: 'bundle', id: bundleId, objects: [identity] }), []);
  });

  it('validates a single object that is not a bundle', async () => {
    const result = await validateBundleStream(once(JSON.stringify(identity)));
    assert.equal(result.objects, 1);
    assert.equal(result.issues.length, 0);
    assert.deepEqual(await codes({ ...identity, created: 'x' }), ['error:INVALID_TIMESTAMP:$.created']);
  });

  describe('when the envelope breaks STIX 2.1 §8', () => {
    it('reports a bad id, an empty list, a 2.0 spec_version and duplicates', async () => {
      assert.deepEqual(await codes({ type: 'bundle', id: 'bundle--x', objects: [] }), [
        'error:INVALID_BUNDLE:$.id',
        'error:EMPTY_LIST:$.objects',
      ]);
      assert.deepEqual(
        await codes({ type: 'bundle', id: bundleId, spec_version: '2.0', objects: [identity, identity] }),
        ['warning:DUPLICATE_OBJECT:$.objects[1]', 'warning:INVALID_SPEC_VERSION:$.spec_version'],
      );
      assert.deepEqual(await codes({ type: 'bundle', id: bundleId, objects: { a: identity } }), [
        'error:INVALID_BUNDLE:$.objects',
      ]);
    });

    it('prefixes object issues with their place in the bundle', async () => {
      const bad = { ...identity, modified: '2016-04-07T20:03:00.000Z', confidence: 200 };
      assert.deepEqual(await codes({ type: 'bundle', id: bundleId, objects: [identity, bad] }), [
        'error:OUT_OF_RANGE:$.objects[1].confidence',
      ]);
    });
  });
});
