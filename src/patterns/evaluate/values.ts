import type { Literal, OrderableLiteral } from '../ast.ts';
import { parseTimestamp } from '../timestamps.ts';

// Comparison semantics of STIX 2.1 §9.6.2, matching the reference matcher's type tables: numbers
// compare with numbers, strings with strings (code-point order, after NFC normalization), binary
// with binary or with strings whose code points are all < 256, timestamps with timestamp strings.
// Any other pairing is "not comparable": never equal, and never ordered either way.

/** Unicode NFC normalization (the reference matcher normalizes strings); ASCII is returned as is. */
export function nfc(s: string): string {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return s.normalize('NFC');
  return s;
}

function latin1Bytes(s: string): Uint8Array | undefined {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 255) return undefined;
    out[i] = c;
  }
  return out;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** Orders strings by code point (JavaScript's `<` compares UTF-16 units, which differs for astral characters). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i) ?? 0;
    const y = b.codePointAt(i) ?? 0;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/**
 * Compares an observed value with a literal: a number (<0, 0, >0), NaN when the types are
 * comparable but this pair is not, or undefined when the types are not comparable at all.
 */
export function compareValue(value: unknown, literal: OrderableLiteral): number | undefined {
  switch (literal.kind) {
    case 'int':
    case 'float':
      return typeof value === 'number' ? Math.sign(value - literal.value) : undefined;
    case 'string':
      if (typeof value === 'string') return Math.sign(compareCodePoints(nfc(value), nfc(literal.value)));
      if (value instanceof Uint8Array) {
        // Comparable types, but a string with code points ≥ 256 has no binary form: every
        // comparison is false (NaN), and NOT then holds, as in the reference matcher.
        const bytes = latin1Bytes(literal.value);
        return bytes === undefined ? Number.NaN : Math.sign(compareBytes(value, bytes));
      }
      return undefined;
    case 'binary': {
      const bytes =
        value instanceof Uint8Array ? value : typeof value === 'string' ? latin1Bytes(value) : undefined;
      return bytes === undefined ? undefined : Math.sign(compareBytes(bytes, literal.value));
    }
    case 'timestamp': {
      const t = typeof value === 'string' ? parseTimestamp(value) : undefined;
      return t === undefined ? undefined : Math.sign(t.epochMicros - literal.value.epochMicros);
    }
  }
}

/** Equality of an observed value and a literal; not-comparable pairs are unequal. */
export function equalsValue(value: unknown, literal: Literal): boolean {
  if (literal.kind === 'bool') return value === literal.value;
  return compareValue(value, literal) === 0;
}
