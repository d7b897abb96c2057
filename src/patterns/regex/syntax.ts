/**
 * The regular-expression syntax accepted by `MATCHES` (STIX 2.1 §9.6.2 names PCRE). Only the
 * regular subset is supported — no back-references, look-around, possessive quantifiers or
 * recursion — because that subset can be matched in linear time (see vm.ts). Anything outside it
 * is rejected when the pattern is parsed, never silently mis-evaluated.
 */

/** A predicate over one code point, kept as data so it can be printed and tested. */
export interface CharClass {
  readonly ranges: readonly (readonly [number, number])[];
  readonly negated: boolean;
}

export type Assertion = 'bol' | 'eol' | 'word' | 'not-word' | 'start' | 'end' | 'end-or-newline';

export type RegexNode =
  | { readonly t: 'empty' }
  | { readonly t: 'class'; readonly cls: CharClass }
  | { readonly t: 'cat'; readonly items: readonly RegexNode[] }
  | { readonly t: 'alt'; readonly items: readonly RegexNode[] }
  | { readonly t: 'repeat'; readonly node: RegexNode; readonly min: number; readonly max: number }
  | { readonly t: 'assert'; readonly kind: Assertion };

export interface RegexFlags {
  readonly ignoreCase: boolean;
  readonly dotAll: boolean;
  readonly multiline: boolean;
}

/** A regular expression the parser refused; its message says why, without the whole source. */
export class RegexSyntaxError extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(`${message} (offset ${offset})`);
    this.name = 'RegexSyntaxError';
    this.offset = offset;
  }
}

/** Largest counted repetition, `{n,m}`, accepted. */
export const MAX_REPEAT = 1000;

export const DIGIT: CharClass = { ranges: [[0x30, 0x39]], negated: false };
export const WORD: CharClass = {
  ranges: [
    [0x30, 0x39],
    [0x41, 0x5a],
    [0x5f, 0x5f],
    [0x61, 0x7a],
  ],
  negated: false,
};
export const SPACE: CharClass = {
  ranges: [
    [0x09, 0x0d],
    [0x20, 0x20],
  ],
  negated: false,
};

export function negate(cls: CharClass): CharClass {
  return { ranges: cls.ranges, negated: !cls.negated };
}

export function single(cp: number): CharClass {
  return { ranges: [[cp, cp]], negated: false };
}
