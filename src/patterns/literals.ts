import type { Literal } from './ast.ts';
import { parseTimestamp } from './timestamps.ts';
import type { Token } from './tokens.ts';

/** Decodes a string literal's body: `\'` and `\\` are the only escapes (STIX 2.1 §9.2). */
export function unquote(quoted: string): string {
  const body = quoted.slice(1, -1);
  return body.includes('\\') ? body.replace(/\\(['\\])/g, '$1') : body;
}

/** Quotes a string for a pattern, escaping `'` and `\`. */
export function quote(value: string): string {
  return `'${value.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

function hexToBytes(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

/** Converts a literal token (already checked by the lexer) into its AST value. */
export function literalFromToken(token: Token): Literal | undefined {
  switch (token.kind) {
    case 'string':
      return { kind: 'string', value: unquote(token.text) };
    case 'int': {
      const raw = token.text.startsWith('+') ? token.text.slice(1) : token.text;
      return { kind: 'int', value: Number(raw), raw };
    }
    case 'float': {
      const raw = token.text.startsWith('+') ? token.text.slice(1) : token.text;
      return { kind: 'float', value: Number(raw), raw };
    }
    case 'bool':
      return { kind: 'bool', value: token.text === 'true' };
    case 'hex':
      return { kind: 'binary', value: hexToBytes(token.text.slice(2, -1)), form: 'h' };
    case 'binary':
      return {
        kind: 'binary',
        value: Uint8Array.from(Buffer.from(token.text.slice(2, -1), 'base64')),
        form: 'b',
      };
    case 'timestamp': {
      const value = parseTimestamp(token.text.slice(2, -1));
      return value === undefined ? undefined : { kind: 'timestamp', value };
    }
    case 'identifier':
    case 'keyword':
    case 'op':
    case 'punct':
    case 'eof':
      return undefined;
  }
}

/** Prints a literal in the form the lexer reads back to the same value. */
export function printLiteral(literal: Literal): string {
  switch (literal.kind) {
    case 'string':
      return quote(literal.value);
    case 'int':
    case 'float':
      return literal.raw;
    case 'bool':
      return literal.value ? 'true' : 'false';
    case 'binary':
      return literal.form === 'h'
        ? `h'${Buffer.from(literal.value).toString('hex')}'`
        : `b'${Buffer.from(literal.value).toString('base64')}'`;
    case 'timestamp':
      return `t'${literal.value.text}'`;
  }
}
