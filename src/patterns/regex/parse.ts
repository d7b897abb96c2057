import {
  type CharClass,
  DIGIT,
  MAX_REPEAT,
  negate,
  type RegexFlags,
  type RegexNode,
  RegexSyntaxError,
  SPACE,
  single,
  WORD,
} from './syntax.ts';

const SIMPLE_ESCAPES: Readonly<Record<string, number>> = { n: 10, t: 9, r: 13, f: 12, v: 11, e: 27, a: 7 };
const CLASS_ESCAPES: Readonly<Record<string, CharClass>> = {
  d: DIGIT,
  D: negate(DIGIT),
  w: WORD,
  W: negate(WORD),
  s: SPACE,
  S: negate(SPACE),
};
const DOT: CharClass = { ranges: [[10, 10]], negated: true };
const ANY: CharClass = { ranges: [], negated: true };

/** Recursive-descent parser for the supported PCRE subset (see syntax.ts). */
class RegexParser {
  readonly #cps: number[];
  #i = 0;
  #depth = 0;
  flags: { ignoreCase: boolean; dotAll: boolean; multiline: boolean } = {
    ignoreCase: false,
    dotAll: false,
    multiline: false,
  };

  constructor(source: string) {
    this.#cps = Array.from(source, (c) => c.codePointAt(0) ?? 0);
  }

  parse(): RegexNode {
    this.#leadingFlags();
    const node = this.#alternation();
    if (this.#i < this.#cps.length) this.#fail("unbalanced ')'");
    return node;
  }

  #fail(message: string): never {
    throw new RegexSyntaxError(message, this.#i);
  }

  #peek(offset = 0): string | undefined {
    const cp = this.#cps[this.#i + offset];
    return cp === undefined ? undefined : String.fromCodePoint(cp);
  }

  #leadingFlags(): void {
    const m = /^\(\?([ims]+)\)/.exec(String.fromCodePoint(...this.#cps.slice(0, 8)));
    if (m === null) return;
    for (const f of m[1] ?? '') {
      if (f === 'i') this.flags.ignoreCase = true;
      if (f === 's') this.flags.dotAll = true;
      if (f === 'm') this.flags.multiline = true;
    }
    this.#i += m[0].length;
  }

  #alternation(): RegexNode {
    const items = [this.#concatenation()];
    while (this.#peek() === '|') {
      this.#i++;
      items.push(this.#concatenation());
    }
    return items.length === 1 ? items[0]! : { t: 'alt', items };
  }

  #concatenation(): RegexNode {
    const items: RegexNode[] = [];
    for (;;) {
      const c = this.#peek();
      if (c === undefined || c === '|' || c === ')') break;
      items.push(this.#quantified());
    }
    if (items.length === 0) return { t: 'empty' };
    return items.length === 1 ? items[0]! : { t: 'cat', items };
  }

  #quantified(): RegexNode {
    const start = this.#i;
    const atom = this.#atom();
    const c = this.#peek();
    let min: number;
    let max: number;
    if (c === '*') [min, max] = [0, Number.POSITIVE_INFINITY];
    else if (c === '+') [min, max] = [1, Number.POSITIVE_INFINITY];
    else if (c === '?') [min, max] = [0, 1];
    else if (c === '{') {
      const counted = this.#counted();
      if (counted === undefined) return atom;
      [min, max] = counted;
    } else return atom;
    if (c !== '{') this.#i++;
    if (atom.t === 'assert') this.#fail('quantifier after an assertion');
    // Lazy quantifiers (`*?`) accept the same strings as greedy ones; only boolean match is needed.
    if (this.#peek() === '?') this.#i++;
    else if (this.#peek() === '+') this.#fail('possessive quantifiers are not supported');
    if (this.#i === start) this.#fail('nothing to repeat');
    return { t: 'repeat', node: atom, min, max };
  }

  /** Parses `{n}`, `{n,}` or `{n,m}`; a `{` that does not start one is a literal (PCRE rule). */
  #counted(): [number, number] | undefined {
    const rest = String.fromCodePoint(...this.#cps.slice(this.#i, this.#i + 16));
    const m = /^\{(\d+)(,(\d*))?\}/.exec(rest);
    if (m === null) return undefined;
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? Number.POSITIVE_INFINITY : Number(m[3]);
    if (min > MAX_REPEAT || (Number.isFinite(max) && max > MAX_REPEAT))
      this.#fail('repetition count too large');
    if (max < min) this.#fail('repetition range out of order');
    this.#i += m[0].length;
    return [min, max];
  }

  #atom(): RegexNode {
    const c = this.#peek();
    this.#i++;
    switch (c) {
      case '(':
        return this.#group();
      case '[':
        return { t: 'class', cls: this.#class() };
      case '.':
        return { t: 'class', cls: this.flags.dotAll ? ANY : DOT };
      case '^':
        return { t: 'assert', kind: 'bol' };
      case '$':
        return { t: 'assert', kind: 'eol' };
      case '\\':
        return this.#escape();
      case '*':
      case '+':
      case '?':
        return this.#fail('nothing to repeat');
      default:
        return { t: 'class', cls: single(this.#cps[this.#i - 1] ?? 0) };
    }
  }

  #group(): RegexNode {
    if (++this.#depth > 100) this.#fail('groups nest too deeply');
    if (this.#peek() === '?') {
      const kind = this.#peek(1);
      if (kind === ':') this.#i += 2;
      else if (kind === 'P' && this.#peek(2) === '<') this.#skipName(3);
      else if (kind === '<' && this.#peek(2) !== '=' && this.#peek(2) !== '!') this.#skipName(2);
      else this.#fail('look-around, back-references and inline options are not supported');
    }
    const inner = this.#alternation();
    if (this.#peek() !== ')') this.#fail("missing ')'");
    this.#i++;
    this.#depth--;
    return inner;
  }

  #skipName(prefix: number): void {
    this.#i += prefix;
    while (this.#peek() !== undefined && /\w/.test(this.#peek() ?? '')) this.#i++;
    if (this.#peek() !== '>') this.#fail('bad group name');
    this.#i++;
  }

  #escape(): RegexNode {
    const c = this.#peek();
    if (c === undefined) this.#fail('trailing backslash');
    this.#i++;
    if (c === 'b') return { t: 'assert', kind: 'word' };
    if (c === 'B') return { t: 'assert', kind: 'not-word' };
    if (c === 'A') return { t: 'assert', kind: 'start' };
    if (c === 'z') return { t: 'assert', kind: 'end' };
    if (c === 'Z') return { t: 'assert', kind: 'end-or-newline' };
    return { t: 'class', cls: this.#escapeClass(c) };
  }

  /** An escape usable both inside and outside a character class. */
  #escapeClass(c: string): CharClass {
    const cls = CLASS_ESCAPES[c];
    if (cls !== undefined) return cls;
    const simple = SIMPLE_ESCAPES[c];
    if (simple !== undefined) return single(simple);
    if (c === 'x') return single(this.#hex());
    if (c === '0') return single(0);
    if (/[1-9]/.test(c)) this.#fail('back-references are not supported');
    if (/[A-Za-z]/.test(c)) this.#fail(`unsupported escape \\${c}`);
    return single(c.codePointAt(0) ?? 0);
  }

  #hex(): number {
    const rest = String.fromCodePoint(...this.#cps.slice(this.#i, this.#i + 10));
    const m = /^(?:\{([0-9a-fA-F]{1,6})\}|([0-9a-fA-F]{2}))/.exec(rest);
    if (m === null) this.#fail('bad \\x escape');
    this.#i += m[0].length;
    const value = Number.parseInt(m[1] ?? m[2] ?? '0', 16);
    if (value > 0x10ffff) this.#fail('code point out of range');
    return value;
  }

  #class(): CharClass {
    let negated = false;
    if (this.#peek() === '^') {
      negated = true;
      this.#i++;
    }
    const ranges: [number, number][] = [];
    const subtract: CharClass[] = [];
    let first = true;
    for (;;) {
      const c = this.#peek();
      if (c === undefined) this.#fail("missing ']'");
      if (c === ']' && !first) {
        this.#i++;
        break;
      }
      first = false;
      if (c === '[' && this.#peek(1) === ':') this.#fail('POSIX classes are not supported');
      const lo = this.#classAtom();
      if (typeof lo !== 'number') {
        if (lo.negated) subtract.push(lo);
        else ranges.push(...lo.ranges.map(([a, b]) => [a, b] as [number, number]));
        continue;
      }
      if (this.#peek() === '-' && this.#peek(1) !== ']' && this.#peek(1) !== undefined) {
        this.#i++;
        const hi = this.#classAtom();
        if (typeof hi !== 'number') this.#fail('bad character range');
        if (hi < lo) this.#fail('character range out of order');
        ranges.push([lo, hi]);
      } else {
        ranges.push([lo, lo]);
      }
    }
    if (subtract.length > 0) {
      // [\D], [\W\d]: a union containing negated classes; keep it simple and exact by refusing
      // mixtures we cannot express as one range list.
      if (subtract.length > 1 || ranges.length > 0)
        this.#fail('negated escapes inside a class are not supported');
      const only = subtract[0]!;
      return { ranges: only.ranges, negated: !negated };
    }
    return { ranges, negated };
  }

  #classAtom(): number | CharClass {
    const cp = this.#cps[this.#i] ?? 0;
    this.#i++;
    if (cp !== 0x5c) return cp;
    const c = this.#peek();
    if (c === undefined) this.#fail('trailing backslash');
    this.#i++;
    if (c === 'b') return 8;
    const cls = this.#escapeClass(c);
    if (!cls.negated && cls.ranges.length === 1 && cls.ranges[0]![0] === cls.ranges[0]![1])
      return cls.ranges[0]![0];
    return cls;
  }
}

/** Parses a MATCHES regular expression into its syntax tree and flags. */
export function parseRegex(source: string): { readonly node: RegexNode; readonly flags: RegexFlags } {
  const parser = new RegexParser(source);
  const node = parser.parse();
  return { node, flags: parser.flags };
}
