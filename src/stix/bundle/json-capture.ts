import { StixParseError } from '../errors.ts';

const WS = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/**
 * Collects the text of one JSON value that may span many chunks. It tracks strings, escapes and
 * bracket depth only; JSON.parse does the real parsing once the value is complete.
 */
export class ValueCapture {
  readonly #parts: string[] = [];
  #size = 0;
  #depth = 0;
  #inString = false;
  #escape = false;
  #primitive = false;
  #started = false;
  readonly #limit: number;

  constructor(limit: number) {
    this.#limit = limit;
  }

  /**
   * Consumes `text` from `start`; returns the index just after the value when it completes in
   * this chunk, or -1 when more text is needed.
   */
  feed(text: string, start: number, offset: number): number {
    let i = start;
    if (!this.#started) {
      this.#started = true;
      const c = text.charCodeAt(i);
      if (c === 0x7b || c === 0x5b) {
        this.#depth = 1;
        i++;
      } else if (c === 0x22) {
        this.#inString = true;
        i++;
      } else {
        this.#primitive = true;
      }
    }
    const end = this.#scan(text, i);
    const stop = end < 0 ? text.length : end;
    this.#size += stop - start;
    if (this.#size > this.#limit)
      throw new StixParseError('object too large', offset + start, 'STIX_TOO_LARGE');
    this.#parts.push(text.slice(start, stop));
    return end;
  }

  #scan(text: string, from: number): number {
    for (let i = from; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (this.#primitive) {
        if (c === 0x2c || c === 0x7d || c === 0x5d || WS(c)) return i;
        continue;
      }
      if (this.#inString) {
        if (this.#escape) this.#escape = false;
        else if (c === 0x5c) this.#escape = true;
        else if (c === 0x22) {
          this.#inString = false;
          if (this.#depth === 0) return i + 1;
        }
        continue;
      }
      if (c === 0x22) this.#inString = true;
      else if (c === 0x7b || c === 0x5b) this.#depth++;
      else if (c === 0x7d || c === 0x5d) {
        this.#depth--;
        if (this.#depth === 0) return i + 1;
      }
    }
    return -1;
  }

  /** The value's text; for a primitive at the very end of input, whatever was collected. */
  text(): string {
    return this.#parts.join('');
  }
}

export { WS as isJsonWhitespace };
