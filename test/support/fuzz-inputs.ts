// Generated bad inputs for the OpenAPI fuzz test (issue 10 §5): a seeded PRNG, a plausible value
// for a JSON schema, and the bad values mutations put in its place. Deterministic for one seed.

/** Mulberry32: a small, fast, seeded PRNG, so a failing run can be replayed with its seed. */
export class Prng {
  #state: number;
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
}

/** A JSON schema as @fastify/swagger writes it into the OpenAPI document (the parts we read). */
export interface Schema {
  readonly type?: string;
  readonly enum?: readonly unknown[];
  readonly anyOf?: readonly Schema[];
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly required?: readonly string[];
  readonly items?: Schema;
  readonly minItems?: number;
  readonly minLength?: number;
  readonly minimum?: number;
  readonly format?: string;
}

/** A value the schema accepts (or nearly: formats beyond e-mail and date-time are not honoured). */
export function plausible(schema: Schema | undefined): unknown {
  if (schema === undefined) return {};
  if (schema.enum !== undefined) return schema.enum[0];
  if (schema.anyOf !== undefined) return plausible(schema.anyOf[0]);
  switch (schema.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(schema.properties ?? {})) out[k] = plausible(v);
      return out;
    }
    case 'array':
      return Array.from({ length: Math.max(1, schema.minItems ?? 0) }, () => plausible(schema.items));
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    case 'string':
      if (schema.format === 'email') return 'fuzz@example.org';
      if (schema.format === 'date-time') return '2026-11-03T12:00:00.000Z';
      return 'x'.repeat(Math.max(1, schema.minLength ?? 1));
    default:
      return null;
  }
}

/** `{"a":{"a":…[]}}` nested `levels` deep, as a value. */
export function nested(levels: number): unknown {
  let v: unknown = [];
  for (let i = 1; i < levels; i++) v = { a: v };
  return v;
}

/** An object whose own keys are the prototype-polluting names (as JSON.parse makes them). */
export const PROTO_KEYS = JSON.parse(
  '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"prototype":{"polluted":true}}',
) as unknown;

const UNICODE = [
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\u202eevil\u202c',
  '🗳️👩🏽‍💻',
  'e\u0301\u0301\u0301',
  '\ufeffbom',
  '\u2028\u2029',
];

/** Bad values of every JSON type, put where a field's value goes. */
export const BAD_VALUES: readonly unknown[] = [
  null,
  true,
  0,
  -1,
  1.5,
  2 ** 31,
  2 ** 53 + 2,
  2 ** 63,
  1e308,
  -1e308,
  '',
  ' ',
  'NaN',
  '-1',
  '2147483648',
  '9223372036854775808',
  "' OR 1=1 --",
  '../../../etc/passwd',
  '%00',
  ...UNICODE,
  'x'.repeat(10_000),
  [],
  [[[]]],
  ['a', 1, null, {}],
  {},
  { a: 1 },
  PROTO_KEYS,
  nested(60),
];

/** Whole bodies as raw text: deep nesting, prototype keys, broken JSON, huge strings. */
export const BAD_BODIES: readonly string[] = [
  `${'['.repeat(20_000)}${']'.repeat(20_000)}`,
  `${'{"a":'.repeat(20_000)}{}${'}'.repeat(20_000)}`,
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '{"a":1,"a":2}',
  'NaN',
  '[1,2',
  '"\\ud800"',
  '1e400',
  'null',
  '[]',
  '',
  `"${'x'.repeat(1_100_000)}"`,
  `{"name":"${'é'.repeat(400_000)}"}`,
];

/** Bad path segments, already percent-encoded where they must be. */
export const BAD_SEGMENTS: readonly string[] = [
  '0',
  '-1',
  '2147483648',
  '1e308',
  'NaN',
  '__proto__',
  'constructor',
  'prototype',
  '%ED%A0%80',
  '%E0%A4%A',
  '%F0%9F%97%B3',
  '%E2%80%AE',
  encodeURIComponent("' OR 1=1 --"),
  '..',
  'x'.repeat(600),
  'indicator--00000000-0000-4000-8000-000000000000',
  'org_00000000-0000-4000-8000-000000000000',
];

/** Bad query-string values, encoded. */
export const BAD_QUERY_VALUES: readonly string[] = [
  '',
  '-1',
  '0',
  '1.5',
  '2147483648',
  '9223372036854775808',
  '1e308',
  'NaN',
  'Infinity',
  'true',
  '%00',
  '%ED%A0%80',
  '%E2%80%AE',
  encodeURIComponent('x'.repeat(4000)),
  encodeURIComponent('[1,2]'),
  encodeURIComponent('{"$gt":""}'),
  encodeURIComponent('2026-13-45T99:99:99Z'),
];

/** A copy of `value` with the value at one random path (or the whole value) replaced by `bad`. */
export function mutate(rng: Prng, value: unknown, bad: unknown): unknown {
  if (value === null || typeof value !== 'object' || rng.int(4) === 0) return bad;
  if (Array.isArray(value)) {
    if (value.length === 0) return [bad];
    const i = rng.int(value.length);
    return value.map((v, j) => (j === i ? mutate(rng, v, bad) : v));
  }
  const keys = Object.keys(value);
  if (keys.length === 0 || rng.int(5) === 0) {
    // An unknown or prototype-named key beside the real ones.
    return { ...value, [rng.pick(['__proto__', 'constructor', 'prototype', 'x_unknown'])]: bad };
  }
  const k = rng.pick(keys);
  return { ...value, [k]: mutate(rng, (value as Record<string, unknown>)[k], bad) };
}

/** Numbers just past what the integer columns behind a field hold, or no number at all. */
export const HUGE_NUMBERS: readonly number[] = [2 ** 31, 2 ** 32, 2 ** 63, 1e308, -1, -(2 ** 31) - 1];

/** The property paths of every integer or number field of an object schema (not inside arrays). */
export function numberPaths(schema: Schema | undefined, at: readonly string[] = []): string[][] {
  if (schema === undefined) return [];
  if (schema.type === 'integer' || schema.type === 'number') return [[...at]];
  if (schema.type !== 'object') return [];
  return Object.entries(schema.properties ?? {}).flatMap(([k, v]) => numberPaths(v, [...at, k]));
}

/** A copy of `value` with `bad` at `path`. */
export function setAt(value: unknown, path: readonly string[], bad: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return bad;
  const obj = value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  return { ...obj, [head]: setAt(obj[head], rest, bad) };
}
