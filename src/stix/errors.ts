import type { ValidationIssue } from './issues.ts';

export type StixErrorCode = 'STIX_INVALID' | 'STIX_MALFORMED_JSON' | 'STIX_TOO_LARGE';

/**
 * A STIX document that cannot be accepted: `issues` holds every error found (never the input).
 *
 * @example
 * const result = validateObject(input);
 * if (result.errors > 0) throw new StixValidationError(result.issues);
 */
export class StixValidationError extends Error {
  readonly code: StixErrorCode;
  readonly issues: readonly ValidationIssue[];

  constructor(issues: readonly ValidationIssue[], code: StixErrorCode = 'STIX_INVALID') {
    super(`STIX content is invalid: ${issues.filter((i) => i.severity === 'error').length} error(s)`);
    this.name = 'StixValidationError';
    this.code = code;
    this.issues = issues;
  }
}

/** A bundle stream that is not well-formed JSON, with the byte offset where parsing stopped. */
export class StixParseError extends Error {
  readonly code: StixErrorCode;
  readonly offset: number;

  constructor(message: string, offset: number, code: StixErrorCode = 'STIX_MALFORMED_JSON') {
    super(`${message} at offset ${offset}`);
    this.name = 'StixParseError';
    this.code = code;
    this.offset = offset;
  }
}
