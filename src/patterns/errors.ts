/**
 * Typed errors of the patterning layer (STYLE.md practice 4): callers switch on `code`, never on
 * message text. Messages quote at most a short excerpt of the pattern, never the whole input.
 */

/** Where in the pattern text a problem starts: 0-based offset, 1-based line and column. */
export interface SourcePosition {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

export type PatternSyntaxErrorCode =
  | 'PATTERN_UNEXPECTED_CHARACTER'
  | 'PATTERN_UNTERMINATED_STRING'
  | 'PATTERN_INVALID_ESCAPE'
  | 'PATTERN_INVALID_LITERAL'
  | 'PATTERN_UNEXPECTED_TOKEN'
  | 'PATTERN_UNEXPECTED_END'
  | 'PATTERN_INVALID_QUALIFIER'
  | 'PATTERN_INVALID_REGEX'
  | 'PATTERN_TOO_COMPLEX';

/**
 * A pattern that does not conform to the STIX 2.1 patterning grammar (§9) or to its static rules.
 *
 * @example
 * try { parsePattern("[file:name = 'x'"); } catch (e) {
 *   if (e instanceof PatternSyntaxError) console.log(e.code, e.position.column);
 * }
 */
export class PatternSyntaxError extends Error {
  readonly code: PatternSyntaxErrorCode;
  readonly position: SourcePosition;

  constructor(code: PatternSyntaxErrorCode, message: string, position: SourcePosition) {
    super(`${message} at line ${position.line}, column ${position.column}`);
    this.name = 'PatternSyntaxError';
    this.code = code;
    this.position = position;
  }
}

export type PatternEvaluationErrorCode = 'OBSERVED_DATA_INVALID' | 'EVALUATION_LIMIT';

/** Observed data that cannot be evaluated (not observed-data, bad timestamps, unresolved form). */
export class PatternEvaluationError extends Error {
  readonly code: PatternEvaluationErrorCode;
  /** JSON path of the offending input, when known. */
  readonly path: string | undefined;

  constructor(code: PatternEvaluationErrorCode, message: string, path?: string) {
    super(message);
    this.name = 'PatternEvaluationError';
    this.code = code;
    this.path = path;
  }
}

/** Computes the line/column of an offset in a text (lines split on \n). */
export function positionAt(text: string, offset: number): SourcePosition {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset, line, column: offset - lineStart + 1 };
}

/** A short, single-line excerpt of attacker-controlled text for messages. */
export function excerpt(text: string, max = 32): string {
  const flat = text.replace(/[\r\n\t]/g, ' ');
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
