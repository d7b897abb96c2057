/** Token kinds of the STIX 2.1 pattern grammar (STIXPattern.g4, STIX 2.1 §9). */
export type TokenKind =
  | 'identifier'
  | 'keyword'
  | 'string'
  | 'int'
  | 'float'
  | 'binary'
  | 'hex'
  | 'timestamp'
  | 'bool'
  | 'op'
  | 'punct'
  | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** The keyword, operator or punctuation; for literals and identifiers, their source text. */
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** Reserved words: case-sensitive, and never usable as identifiers (the ANTLR lexer's rule). */
export const KEYWORDS: ReadonlySet<string> = new Set([
  'AND',
  'OR',
  'NOT',
  'FOLLOWEDBY',
  'LIKE',
  'MATCHES',
  'ISSUPERSET',
  'ISSUBSET',
  'EXISTS',
  'LAST',
  'IN',
  'START',
  'STOP',
  'SECONDS',
  'WITHIN',
  'REPEATS',
  'TIMES',
]);
