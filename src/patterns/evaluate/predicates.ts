import type { PropTest } from '../ast.ts';
import { blockContains, parseIpBlock } from '../ip.ts';
import { likeMatches } from '../like.ts';
import { compileRegex } from '../regex/compile.ts';
import { compareValue, equalsValue, nfc } from './values.ts';

/** A test on one value reached by an object path. */
export type ValuePredicate = (value: unknown) => boolean;

function bytesToLatin1(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

function orderHolds(op: '<' | '<=' | '>' | '>=', c: number): boolean {
  switch (op) {
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
  }
}

/**
 * Builds the predicate of a property test (STIX 2.1 §9.6.2). `NOT` negates the operator's result.
 * As in the reference matcher, a value of a type that cannot be ordered against the literal fails
 * an ordering test with or without `NOT`, while a non-string value simply does not match LIKE,
 * MATCHES, ISSUBSET or ISSUPERSET (so `NOT LIKE` holds for it).
 */
export function buildPredicate(test: Exclude<PropTest, { kind: 'exists' }>): ValuePredicate {
  const neg = test.negated;
  switch (test.kind) {
    case 'compare': {
      const literal = test.value;
      const invert = (test.op === '!=') !== neg;
      return (v) => equalsValue(v, literal) !== invert;
    }
    case 'order': {
      const { op, value: literal } = test;
      return (v) => {
        const c = compareValue(v, literal);
        return c !== undefined && orderHolds(op, c) !== neg;
      };
    }
    case 'in': {
      const values = test.values;
      return (v) => values.some((l) => equalsValue(v, l)) !== neg;
    }
    case 'string-op':
      return stringPredicate(test.op, test.value, neg);
  }
}

function stringPredicate(
  op: 'LIKE' | 'MATCHES' | 'ISSUBSET' | 'ISSUPERSET',
  arg: string,
  neg: boolean,
): ValuePredicate {
  switch (op) {
    case 'LIKE': {
      const pattern = nfc(arg);
      // A value that is not a string does not match; NOT then holds (reference matcher).
      return (v) => (typeof v === 'string' && likeMatches(nfc(v), pattern)) !== neg;
    }
    case 'MATCHES': {
      const re = compileRegex(arg);
      return (v) => {
        const s = typeof v === 'string' ? nfc(v) : v instanceof Uint8Array ? bytesToLatin1(v) : undefined;
        return (s !== undefined && re.test(s)) !== neg;
      };
    }
    case 'ISSUBSET':
    case 'ISSUPERSET': {
      const block = parseIpBlock(arg);
      return (v) => {
        const own = typeof v === 'string' ? parseIpBlock(v) : undefined;
        const holds =
          block !== undefined &&
          own !== undefined &&
          (op === 'ISSUBSET' ? blockContains(block, own) : blockContains(own, block));
        return holds !== neg;
      };
    }
  }
}
