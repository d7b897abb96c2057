import { StixParseError } from '../errors.ts';
import { isJsonWhitespace, ValueCapture } from './json-capture.ts';

/** What the bundle stream produces: each element of `objects`, then every other top-level property. */
export type BundleEvent =
  | { readonly kind: 'object'; readonly index: number; readonly value: unknown }
  | { readonly kind: 'property'; readonly key: string; readonly value: unknown }
  | { readonly kind: 'objects-end'; readonly count: number };

export interface BundleStreamOptions {
  /** Largest single object accepted, in characters (default 64 MiB). */
  readonly maxObjectChars?: number;
}

type Mode = 'start' | 'key' | 'colon' | 'value' | 'after-value' | 'array' | 'after-element' | 'done';

/**
 * An incremental parser for a STIX bundle (or any top-level JSON object). Elements of the
 * top-level `objects` list are emitted one at a time as they complete, so a 200 MB bundle is never
 * held in memory as a whole: at most one object's text and its parsed value at a time.
 * Input is attacker-controlled; malformed JSON raises StixParseError with the offset.
 */
export class BundleStreamParser {
  #mode: Mode = 'start';
  #key = '';
  #capture: ValueCapture | undefined;
  #captureIsKey = false;
  #index = 0;
  #offset = 0;
  readonly #limit: number;

  constructor(options: BundleStreamOptions = {}) {
    this.#limit = options.maxObjectChars ?? 64 * 1024 * 1024;
  }

  #fail(message: string, at: number): never {
    throw new StixParseError(message, this.#offset + at);
  }

  #parse(text: string, at: number): unknown {
    try {
      return JSON.parse(text);
    } catch {
      return this.#fail('malformed JSON value', at);
    }
  }

  /** Feeds the next chunk of text and returns the events it completed. */
  push(chunk: string): BundleEvent[] {
    const events: BundleEvent[] = [];
    let i = 0;
    while (i < chunk.length) {
      if (this.#capture !== undefined) {
        const end = this.#capture.feed(chunk, i, this.#offset);
        if (end < 0) break;
        this.#complete(events, i);
        i = end;
        continue;
      }
      const c = chunk.charCodeAt(i);
      if (isJsonWhitespace(c)) {
        i++;
        continue;
      }
      i = this.#structural(c, i, events);
    }
    this.#offset += chunk.length;
    return events;
  }

  #startCapture(isKey: boolean): void {
    this.#capture = new ValueCapture(this.#limit);
    this.#captureIsKey = isKey;
  }

  #structural(c: number, i: number, events: BundleEvent[]): number {
    switch (this.#mode) {
      case 'start':
        if (c !== 0x7b) this.#fail("expected '{'", i);
        this.#mode = 'key';
        return i + 1;
      case 'key':
        if (c === 0x7d) {
          this.#mode = 'done';
          return i + 1;
        }
        if (c !== 0x22) this.#fail('expected a property name', i);
        this.#startCapture(true);
        return i;
      case 'colon':
        if (c !== 0x3a) this.#fail("expected ':'", i);
        this.#mode = 'value';
        return i + 1;
      case 'value':
        if (this.#key === 'objects' && c === 0x5b) {
          this.#mode = 'array';
          return i + 1;
        }
        this.#startCapture(false);
        return i;
      case 'after-value':
        if (c === 0x2c) this.#mode = 'key';
        else if (c === 0x7d) this.#mode = 'done';
        else this.#fail("expected ',' or '}'", i);
        return i + 1;
      case 'array':
        if (c === 0x5d) {
          events.push({ kind: 'objects-end', count: this.#index });
          this.#mode = 'after-value';
          return i + 1;
        }
        this.#startCapture(false);
        return i;
      case 'after-element':
        if (c === 0x2c) this.#mode = 'array';
        else if (c === 0x5d) {
          events.push({ kind: 'objects-end', count: this.#index });
          this.#mode = 'after-value';
        } else this.#fail("expected ',' or ']'", i);
        return i + 1;
      case 'done':
        return this.#fail('unexpected content after the bundle', i);
    }
  }

  #complete(events: BundleEvent[], at: number): void {
    const capture = this.#capture;
    this.#capture = undefined;
    if (capture === undefined) return;
    const value = this.#parse(capture.text(), at);
    if (this.#captureIsKey) {
      if (typeof value !== 'string') this.#fail('expected a property name', at);
      this.#key = value;
      this.#mode = 'colon';
    } else if (this.#mode === 'array') {
      events.push({ kind: 'object', index: this.#index++, value });
      this.#mode = 'after-element';
    } else {
      events.push({ kind: 'property', key: this.#key, value });
      this.#mode = 'after-value';
    }
  }

  /** Signals the end of input; throws if the document is incomplete. */
  end(): BundleEvent[] {
    const events: BundleEvent[] = [];
    if (this.#capture !== undefined) {
      // Only a bare primitive can end exactly at end of input; anything else is truncated.
      this.#fail('unexpected end of input', 0);
    }
    if (this.#mode !== 'done') this.#fail('unexpected end of input', 0);
    return events;
  }
}

/**
 * Parses a bundle from a stream of chunks (bytes or text), yielding events as objects complete.
 *
 * @example
 * for await (const e of parseBundleStream(createReadStream(path))) if (e.kind === 'object') use(e.value);
 */
export async function* parseBundleStream(
  source: AsyncIterable<Uint8Array | string>,
  options: BundleStreamOptions = {},
): AsyncGenerator<BundleEvent> {
  const parser = new BundleStreamParser(options);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for await (const chunk of source) {
    let text: string;
    try {
      text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    } catch {
      throw new StixParseError('input is not valid UTF-8', 0);
    }
    yield* parser.push(text);
  }
  yield* parser.push(decoder.decode());
  yield* parser.end();
}
