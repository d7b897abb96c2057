import { excerpt, PatternSyntaxError, type PatternSyntaxErrorCode, positionAt } from './errors.ts';
import type { Token } from './tokens.ts';

/** A token for messages: its text, shortened, or "end of pattern". */
export function describe(token: Token): string {
  return token.kind === 'eof' ? 'end of pattern' : `'${excerpt(token.text, 24)}'`;
}

/** Reading position over the token list, with the typed-error helpers every parse step uses. */
export class TokenCursor {
  readonly #text: string;
  readonly #tokens: readonly Token[];
  #pos = 0;

  constructor(text: string, tokens: readonly Token[]) {
    this.#text = text;
    this.#tokens = tokens;
  }

  protected peek(): Token {
    return this.#tokens[this.#pos] ?? this.#tokens[this.#tokens.length - 1]!;
  }

  protected next(): Token {
    const token = this.peek();
    if (token.kind !== 'eof') this.#pos++;
    return token;
  }

  protected is(kind: Token['kind'], text?: string): boolean {
    const token = this.peek();
    return token.kind === kind && (text === undefined || token.text === text);
  }

  protected fail(code: PatternSyntaxErrorCode, message: string, token: Token): never {
    throw new PatternSyntaxError(code, message, positionAt(this.#text, token.start));
  }

  protected unexpectedAt(token: Token, expected: string): never {
    const code = token.kind === 'eof' ? 'PATTERN_UNEXPECTED_END' : 'PATTERN_UNEXPECTED_TOKEN';
    return this.fail(code, `expected ${expected} but found ${describe(token)}`, token);
  }

  protected unexpected(expected: string): never {
    return this.unexpectedAt(this.peek(), expected);
  }

  protected expect(kind: Token['kind'], text: string): Token {
    if (!this.is(kind, text)) this.unexpected(`'${text}'`);
    return this.next();
  }

  protected expectEnd(): void {
    if (!this.is('eof')) this.unexpected('an observation operator or end of pattern');
  }
}
