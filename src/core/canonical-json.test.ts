import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { canonicalJson } from './canonical-json.ts';

describe('canonical JSON (RFC 8785)', () => {
  it('sorts keys by UTF-16 code units and drops whitespace', () => {
    assert.equal(
      canonicalJson({ b: 1, a: [true, null, 'x'], c: { z: 1, y: 2 } }),
      '{"a":[true,null,"x"],"b":1,"c":{"y":2,"z":1}}',
    );
    // RFC 8785 §3.2.3: "\u20ac" (U+20AC) sorts after "\r" and before the surrogate pair of U+1F600.
    assert.equal(canonicalJson({ '\u{1F600}': 1, '€': 2, '\r': 3 }), '{"\\r":3,"€":2,"😀":1}');
  });

  it('formats numbers in ECMAScript shortest form (RFC 8785 §3.2.2.3)', () => {
    assert.equal(canonicalJson([1e21, 1e-7, -0, 333333333.3333333]), '[1e+21,1e-7,0,333333333.3333333]');
    assert.throws(() => canonicalJson(Number.NaN));
  });

  it('is stable: parsing and canonicalizing again gives the same text', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const once = canonicalJson(v);
        assert.equal(canonicalJson(JSON.parse(once)), once);
      }),
    );
  });
});
