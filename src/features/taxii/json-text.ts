import { setImmediate } from 'node:timers/promises';
import { TabellaError } from '../../core/errors.ts';
import { MAX_JSON_DEPTH } from '../../core/json-limits.ts';

/**
 * Bytes parsed between two yields of the event loop. `JSON.parse` of a whole 1 MiB envelope of
 * empty objects holds the loop ~45 ms, of 100k indicators (28 MB) ~110 ms — far longer than any
 * other request may wait (issue 10 §2); a run of 64 KiB takes ~1 ms. The body is parsed from its
 * bytes, never as one string: the first read of a 30 MB string received in pieces copies it whole
 * (~15 ms, ~40 ms on a busy machine) in one go.
 */
const RUN = 65_536;
/** Members per run at most: a run of tiny members (`{}`) costs by the member, not by the byte. */
const RUN_MEMBERS = 1_000;

type Box = unknown[] | Record<string, unknown>;

/** An array or object whose members are being parsed; `key` is the member being parsed. */
interface Frame {
  readonly box: Box;
  readonly isArray: boolean;
  key: string;
  /** Members of a deferred list kept as text rather than in `box` (parseEnvelopeText). */
  deferred: number;
}

const malformed = () => new TabellaError('MALFORMED_JSON', 'the body is not valid JSON');
const forbidden = () => new TabellaError('MALFORMED_JSON', 'the body holds a forbidden prototype property');
const tooDeep = () =>
  new TabellaError('NESTING_TOO_DEEP', `body: nested deeper than ${MAX_JSON_DEPTH} levels`, {
    fields: ['body'],
  });
const nul = (path: string) => {
  const field = path || 'body';
  return new TabellaError('VALIDATION_FAILED', `${field}: must not contain NUL characters`, {
    fields: [field],
  });
};
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The body's UTF-8 bytes: JSON's structure is ASCII, so it is found on bytes, never split a character. */
type Bytes = Buffer;

function skipWs(t: Bytes, i: number): number {
  let k = i;
  for (let c = t[k]; c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = t[++k]);
  return k;
}

/** The text of bytes `start…end`, which begin and end at structural characters. */
const decode = (t: Bytes, start: number, end: number): string => t.toString('utf8', start, end);

/** Index after the closing quote of the string opening at `i`; -1 if it never closes. */
function stringEnd(t: Bytes, i: number): number {
  for (let k = i + 1; ; ) {
    const q = t.indexOf(0x22, k);
    if (q < 0) return -1;
    let b = q - 1;
    while (t[b] === 0x5c) b--;
    if ((q - 1 - b) % 2 === 0) return q + 1;
    k = q + 1;
  }
}

/**
 * Where the value starting at `i` ends, found structurally (brackets outside strings); its
 * validity is left to `JSON.parse`. -1 for an array or object that does not end before `limit`.
 * `depthLeft` bounds its nesting.
 */
function valueEnd(t: Bytes, i: number, limit: number, depthLeft: number): number {
  const c = t[i];
  if (c === 0x22) {
    const e = stringEnd(t, i);
    if (e < 0) throw malformed();
    return e;
  }
  if (c !== 0x7b && c !== 0x5b) {
    let k = i;
    for (; k < t.length; k++) {
      const ch = t[k];
      if (
        ch === 0x2c ||
        ch === 0x5d ||
        ch === 0x7d ||
        ch === 0x20 ||
        ch === 0x0a ||
        ch === 0x0d ||
        ch === 0x09
      )
        break;
    }
    if (k === i) throw malformed();
    return k;
  }
  let depth = 0;
  for (let k = i; k < limit && k < t.length; k++) {
    const ch = t[k];
    if (ch === 0x22) {
      const e = stringEnd(t, k);
      if (e < 0) throw malformed();
      k = e - 1;
    } else if (ch === 0x7b || ch === 0x5b) {
      if (++depth > depthLeft) throw tooDeep();
    } else if (ch === 0x7d || ch === 0x5d) {
      if (--depth === 0) return k + 1;
    }
  }
  if (limit < t.length) return -1;
  throw malformed();
}

function nativeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw malformed();
  }
}

/**
 * Refuses, in a value `JSON.parse` made of suspicious text, what the server's guarded parser and
 * input guard refuse: `__proto__` keys, `constructor.prototype`, and NUL in strings and keys
 * (reported at its path, first in document order). Iterative.
 */
function check(root: unknown, rootPath: string): void {
  const todo: [unknown, string][] = [[root, rootPath]];
  for (let next = todo.pop(); next !== undefined; next = todo.pop()) {
    const [v, path] = next;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) throw nul(path);
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) todo.push([v[i], `${path}[${i}]`]);
    } else if (isObject(v)) {
      const entries = Object.entries(v);
      for (const [k, child] of entries) checkMember(k, child, path);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, child] = entries[i] as [string, unknown];
        todo.push([child, path ? `${path}.${k}` : k]);
      }
    }
  }
}

function checkMember(key: string, value: unknown, path: string): void {
  if (key === '__proto__') throw forbidden();
  if (key === 'constructor' && isObject(value) && Object.hasOwn(value, 'prototype')) throw forbidden();
  if (key.includes('\u0000')) throw nul(path ? `${path}.${key}` : key);
}

const SUSPECT = /__proto__|constructor|\\u/;

/** The JSON path of the member being parsed in the innermost frame, as the input guard writes it. */
function pathOf(stack: readonly Frame[]): string {
  let path = '';
  for (const f of stack) {
    if (f.isArray) path = `${path}[${(f.box as unknown[]).length + f.deferred}]`;
    else path = path ? `${path}.${f.key}` : f.key;
  }
  return path;
}

/**
 * Parses a JSON body (attacker-controlled) without holding the event loop: values shorter than
 * RUN bytes go to `JSON.parse` whole; a larger array or object is opened and its members are
 * parsed in runs of about RUN bytes, each by `JSON.parse`, with a yield between runs. Accepts
 * exactly what `JSON.parse` accepts and refuses what the server's other JSON bodies refuse:
 * `__proto__` and `constructor.prototype` (MALFORMED_JSON, as Fastify's guarded parser), NUL in
 * strings and keys (VALIDATION_FAILED at its path, as the input guard) and nesting beyond
 * MAX_JSON_DEPTH (NESTING_TOO_DEEP). Never recurses.
 */
export async function parseJsonText(t: Bytes | string): Promise<unknown> {
  return (await parse(t, false)).value;
}

/**
 * A TAXII envelope (attacker-controlled), parsed as `parseJsonText` parses it except that a large
 * `objects` list is left as validated-on-demand runs of text (`DeferredArray`) instead of parsed
 * values: its objects are parsed a run at a time as they are added, so the parsed envelope is never
 * live all at once (100k indicators would be ~150 MB of heap, and the garbage collector's pauses
 * grow with it; issue 10 §2). Structure and nesting are checked here for the whole text; each
 * run's `JSON.parse`, prototype and NUL checks when it is parsed, with the same codes and paths.
 */
export async function parseEnvelopeText(
  t: Bytes | string,
): Promise<{ value: unknown; objects?: DeferredArray }> {
  return parse(t, true);
}

async function parse(
  body: Bytes | string,
  deferObjects: boolean,
): Promise<{ value: unknown; objects?: DeferredArray }> {
  const t = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  let pos = skipWs(t, 0);
  if (pos >= t.length) throw malformed();
  const end = valueEnd(t, pos, pos + RUN, MAX_JSON_DEPTH);
  if (end >= 0) {
    if (skipWs(t, end) !== t.length) throw malformed();
    const text = decode(t, pos, end);
    const v = nativeParse(text);
    if (SUSPECT.test(text)) check(v, '');
    return { value: v };
  }
  const stack: Frame[] = [];
  let result: unknown;
  let sinceYield = 0;
  /** The runs of a deferred top-level `objects` list, while its frame is open; then the list. */
  let runs: Run[] | undefined;
  let deferred: DeferredArray | undefined;
  const isDeferred = (f: Frame) => runs !== undefined && f === stack[1];
  const open = (c: number | undefined) => {
    if (stack.length >= MAX_JSON_DEPTH) throw tooDeep();
    stack.push({ box: c === 0x5b ? [] : {}, isArray: c === 0x5b, key: '', deferred: 0 });
    pos++;
  };
  const emit = (v: unknown) => {
    const top = stack.at(-1);
    if (top === undefined) result = v;
    else if (isDeferred(top)) {
      (runs as Run[]).push({ values: [v], base: top.deferred });
      top.deferred = countOf(runs as Run[]);
    } else if (top.isArray) (top.box as unknown[]).push(v);
    else {
      checkMember(top.key, v, pathOf(stack.slice(0, -1)));
      // A later `objects` member replaces an earlier one, as with JSON.parse.
      if (stack.length === 1 && top.key === 'objects') deferred = undefined;
      (top.box as Record<string, unknown>)[top.key] = v;
    }
  };
  /** Closes the deferred list's frame: the envelope gets no `objects` value, the caller the runs. */
  const closeDeferred = () => {
    deferred = new DeferredArray(t, runs as Run[]);
    runs = undefined;
    Reflect.deleteProperty((stack[0] as Frame).box, 'objects');
  };
  open(t[pos]);
  let first = true;
  while (stack.length > 0) {
    if (sinceYield >= RUN) {
      sinceYield = 0;
      await setImmediate();
    }
    const f = stack.at(-1) as Frame;
    pos = skipWs(t, pos);
    const c = t[pos];
    if (c === (f.isArray ? 0x5d : 0x7d)) {
      // A comma is only ever taken with the member after it, so this ends the frame.
      pos++;
      first = false;
      if (isDeferred(f)) {
        stack.pop();
        closeDeferred();
        continue;
      }
      stack.pop();
      emit(f.box);
      continue;
    }
    if (!first) {
      if (c !== 0x2c) throw malformed();
      pos = skipWs(t, pos + 1);
    }
    first = false;
    // A run of members; a member too large for it is opened as a frame of its own.
    const runStart = pos;
    let runEnd = -1;
    let count = 0;
    for (let members = 1; ; members++) {
      let valueAt = pos;
      if (!f.isArray) {
        if (t[pos] !== 0x22) throw malformed();
        const keyEnd = stringEnd(t, pos);
        if (keyEnd < 0) throw malformed();
        valueAt = skipWs(t, keyEnd);
        if (t[valueAt] !== 0x3a) throw malformed();
        valueAt = skipWs(t, valueAt + 1);
      }
      const limit = (runEnd < 0 ? valueAt : runStart) + RUN;
      const e = valueEnd(t, valueAt, limit, MAX_JSON_DEPTH - stack.length);
      if (e < 0) {
        sinceYield += limit - valueAt;
        if (runEnd < 0) {
          // The first member is large: its key, then the member itself as a frame.
          if (!f.isArray) {
            const key = nativeParse(decode(t, pos, skipWs(t, stringEnd(t, pos)))) as string;
            checkMember(key, undefined, pathOf(stack.slice(0, -1)));
            f.key = key;
          }
          pos = valueAt;
          open(t[pos]);
          first = true;
          if (deferObjects && stack.length === 2 && !f.isArray && f.key === 'objects') {
            const list = stack[1] as Frame;
            if (list.isArray) runs = [];
          }
        }
        break;
      }
      runEnd = e;
      count = members;
      pos = skipWs(t, e);
      if (t[pos] !== 0x2c || e - runStart >= RUN || members >= RUN_MEMBERS) break;
      pos = skipWs(t, pos + 1);
    }
    if (runEnd < 0) continue;
    if (isDeferred(f)) {
      (runs as Run[]).push({ start: runStart, end: runEnd, count, base: f.deferred });
      f.deferred += count;
      pos = runEnd;
      sinceYield += Math.max(runEnd - runStart, RUN / 4) / DEFER_COST;
      continue;
    }
    const text = decode(t, runStart, runEnd);
    const parsed = nativeParse(f.isArray ? `[${text}]` : `{${text}}`) as Box;
    if (SUSPECT.test(text)) {
      if (Array.isArray(parsed)) {
        const base = (f.box as unknown[]).length;
        const parent = pathOf(stack.slice(0, -1));
        for (const [i, v] of parsed.entries()) check(v, `${parent}[${base + i}]`);
      } else check(parsed, pathOf(stack.slice(0, -1)));
    }
    if (Array.isArray(parsed)) for (const v of parsed) (f.box as unknown[]).push(v);
    else {
      // A later `objects` member replaces a deferred one, as with JSON.parse.
      if (stack.length === 1 && Object.hasOwn(parsed, 'objects')) deferred = undefined;
      Object.assign(f.box, parsed);
    }
    // After a run, the frame expects `,` or its end; `first` stays false.
    pos = runEnd;
    sinceYield += Math.max(runEnd - runStart, RUN / 4);
  }
  if (skipWs(t, pos) !== t.length) throw malformed();
  return deferred === undefined ? { value: result } : { value: result, objects: deferred };
}

/** A run of a deferred list: members `base…` as text `start…end`, or one member parsed already. */
type Run =
  | { readonly start: number; readonly end: number; readonly count: number; readonly base: number }
  | { readonly values: readonly unknown[]; readonly base: number };

const countOf = (runs: readonly Run[]): number => {
  const last = runs.at(-1);
  return last === undefined ? 0 : last.base + ('values' in last ? last.values.length : last.count);
};

/**
 * Scanning a run's structure costs a fraction of parsing it: deferred runs count this much less
 * toward the next yield.
 */
const DEFER_COST = 4;

/**
 * The envelope's `objects` list as runs of its text (`parseEnvelopeText`): `run(i)` parses and
 * checks run i exactly as the whole body would have been (MALFORMED_JSON, the prototype guard,
 * VALIDATION_FAILED at `objects[n]…` for NUL), each time it is called.
 */
export class DeferredArray {
  readonly #text: Bytes;
  readonly #runs: readonly Run[];
  readonly length: number;

  constructor(text: Bytes, runs: readonly Run[]) {
    this.#text = text;
    this.#runs = runs;
    this.length = countOf(runs);
  }

  get runCount(): number {
    return this.#runs.length;
  }

  run(i: number): unknown[] {
    const r = this.#runs[i];
    if (r === undefined) throw new RangeError(`no run ${i}`);
    if ('values' in r) return [...r.values];
    const text = decode(this.#text, r.start, r.end);
    const parsed = nativeParse(`[${text}]`) as unknown[];
    if (SUSPECT.test(text)) for (const [k, v] of parsed.entries()) check(v, `objects[${r.base + k}]`);
    return parsed;
  }
}
