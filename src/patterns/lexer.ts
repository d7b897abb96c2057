import { excerpt, PatternSyntaxError, positionAt } from './errors.ts';
import { parseTimestamp } from './timestamps.ts';
import { KEYWORDS, type Token } from './tokens.ts';

// Attacker-controlled: the pattern text comes from shared indicators and the CLI. The lexer is a
// single left-to-right pass with bounded look-ahead, so its cost is linear in the input length.

function isWhitespace(c: number): boolean {
  return (
    c === 0x20 ||
    (c >= 0x09 && c <= 0x0d) ||
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isIdentStart = (c: number): boolean =>
  (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
const isIdentPart = (c: number): boolean => isIdentStart(c) || isDigit(c) || c === 0x2d;

const HEX_BODY_RE = /^(?:[0-9a-fA-F]{2})*$/;
const BASE64_BODY_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{4}|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2}==)$/;

/** Length of the comparison operator starting with `c` then `d` (=, ==, !=, <>, <, <=, >, >=), or 0. */
function operatorLength(c: number, d: number): number {
  if (c === 0x3d) return d === 0x3d ? 2 : 1;
  if (c === 0x21) return d === 0x3d ? 2 : 0;
  if (c === 0x3c) return d === 0x3d || d === 0x3e ? 2 : 1;
  if (c === 0x3e) return d === 0x3d ? 2 : 1;
  return 0;
}

/** : . [ ] ( ) , * */
function isPunct(c: number): boolean {
  return (
    c === 0x3a ||
    c === 0x2e ||
    c === 0x5b ||
    c === 0x5d ||
    c === 0x28 ||
    c === 0x29 ||
    c === 0x2c ||
    c === 0x2a
  );
}

function fail(text: string, code: PatternSyntaxError['code'], message: string, at: number): never {
  throw new PatternSyntaxError(code, message, positionAt(text, at));
}

/** Scans a quoted body starting at the opening quote; returns the index after the closing one. */
function scanQuoted(text: string, open: number): number {
  let i = open + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x27) return i + 1;
    if (c === 0x5c) {
      const next = text.charCodeAt(i + 1);
      // STIX 2.1 §9.2: only \' and \\ are escapes inside string literals.
      if (next !== 0x27 && next !== 0x5c) {
        fail(text, 'PATTERN_INVALID_ESCAPE', 'invalid escape sequence in string literal', i);
      }
      i += 2;
      continue;
    }
    i++;
  }
  return fail(text, 'PATTERN_UNTERMINATED_STRING', 'unterminated string literal', open);
}

function scanNumber(text: string, start: number): Token {
  let i = start;
  if (text[i] === '+' || text[i] === '-') i++;
  const intStart = i;
  while (isDigit(text.charCodeAt(i))) i++;
  const intDigits = text.slice(intStart, i);
  if (text[i] === '.' && isDigit(text.charCodeAt(i + 1))) {
    i++;
    while (isDigit(text.charCodeAt(i))) i++;
    return { kind: 'float', text: text.slice(start, i), start, end: i };
  }
  if (intDigits.length === 0) {
    return fail(text, 'PATTERN_UNEXPECTED_CHARACTER', `unexpected character '${text[start]}'`, start);
  }
  // IntLiteral: '0' | [1-9][0-9]* — like the ANTLR lexer, "01" lexes as "0" followed by "1".
  const end = intDigits.startsWith('0') ? intStart + 1 : i;
  return { kind: 'int', text: text.slice(start, end), start, end };
}

/**
 * Splits a pattern into tokens, skipping whitespace and comments, and ending with an `eof` token.
 *
 * @throws {PatternSyntaxError} on characters or literals that no token accepts.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (isWhitespace(c)) {
      i++;
      continue;
    }
    if (c === 0x2f && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      if (close < 0) fail(text, 'PATTERN_UNEXPECTED_END', 'unterminated comment', i);
      i = close + 2;
      continue;
    }
    if (c === 0x2f && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
      continue;
    }
    if (c === 0x27) {
      const end = scanQuoted(text, i);
      tokens.push({ kind: 'string', text: text.slice(i, end), start: i, end });
      i = end;
      continue;
    }
    if (isIdentStart(c)) {
      const lead = text[i];
      if ((lead === 'h' || lead === 'b' || lead === 't') && text[i + 1] === "'") {
        tokens.push(scanPrefixedLiteral(text, i));
        i = tokens[tokens.length - 1]!.end;
        continue;
      }
      let j = i + 1;
      while (j < text.length && isIdentPart(text.charCodeAt(j))) j++;
      const word = text.slice(i, j);
      const kind = KEYWORDS.has(word)
        ? 'keyword'
        : word === 'true' || word === 'false'
          ? 'bool'
          : 'identifier';
      tokens.push({ kind, text: word, start: i, end: j });
      i = j;
      continue;
    }
    if (isDigit(c) || c === 0x2b || c === 0x2d || (c === 0x2e && isDigit(text.charCodeAt(i + 1)))) {
      const token = scanNumber(text, i);
      tokens.push(token);
      i = token.end;
      continue;
    }
    const op = operatorLength(c, text.charCodeAt(i + 1));
    if (op > 0) {
      tokens.push({ kind: 'op', text: text.slice(i, i + op), start: i, end: i + op });
      i += op;
      continue;
    }
    if (isPunct(c)) {
      tokens.push({ kind: 'punct', text: text[i] ?? '', start: i, end: i + 1 });
      i++;
      continue;
    }
    fail(
      text,
      'PATTERN_UNEXPECTED_CHARACTER',
      `unexpected character '${excerpt(String.fromCodePoint(text.codePointAt(i) ?? c), 4)}'`,
      i,
    );
  }
  tokens.push({ kind: 'eof', text: '', start: text.length, end: text.length });
  return tokens;
}

function scanPrefixedLiteral(text: string, start: number): Token {
  const end = scanQuoted(text, start + 1);
  const body = text.slice(start + 2, end - 1);
  const prefix = text[start];
  if (prefix === 'h') {
    if (!HEX_BODY_RE.test(body)) fail(text, 'PATTERN_INVALID_LITERAL', 'invalid hex literal', start);
    return { kind: 'hex', text: text.slice(start, end), start, end };
  }
  if (prefix === 'b') {
    // The grammar requires at least one 4-character group and canonical padding.
    if (!BASE64_BODY_RE.test(body)) fail(text, 'PATTERN_INVALID_LITERAL', 'invalid binary literal', start);
    return { kind: 'binary', text: text.slice(start, end), start, end };
  }
  if (parseTimestamp(body) === undefined) {
    fail(text, 'PATTERN_INVALID_LITERAL', 'invalid timestamp literal', start);
  }
  return { kind: 'timestamp', text: text.slice(start, end), start, end };
}
