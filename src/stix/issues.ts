/**
 * Validation problems, shaped like the OASIS cti-stix-validator's results: every problem has the
 * JSON path of the offending value, a stable code from a closed union, and a severity. Errors break
 * a MUST of STIX 2.1; warnings flag SHOULDs, open-vocabulary values and custom content.
 */
export type IssueCode =
  | 'INVALID_JSON'
  | 'NOT_AN_OBJECT'
  | 'INVALID_BUNDLE'
  | 'MISSING_PROPERTY'
  | 'FORBIDDEN_PROPERTY'
  | 'INVALID_TYPE_NAME'
  | 'INVALID_IDENTIFIER'
  | 'IDENTIFIER_TYPE_MISMATCH'
  | 'UUID_VERSION'
  | 'INVALID_TIMESTAMP'
  | 'TIMESTAMP_PRECISION'
  | 'MODIFIED_BEFORE_CREATED'
  | 'INVALID_SPEC_VERSION'
  | 'WRONG_VALUE_TYPE'
  | 'EMPTY_LIST'
  | 'OUT_OF_RANGE'
  | 'INVALID_REFERENCE_TYPE'
  | 'INVALID_ENUM_VALUE'
  | 'VOCABULARY_VALUE'
  | 'CUSTOM_OBJECT_TYPE'
  | 'CUSTOM_PROPERTY'
  | 'INVALID_PROPERTY_NAME'
  | 'INVALID_HASH'
  | 'INVALID_PATTERN'
  | 'INVALID_VALUE'
  | 'INVALID_EXTENSION'
  | 'INVALID_MARKING'
  | 'INVALID_CONSTRAINT'
  | 'DETERMINISTIC_ID'
  | 'DUPLICATE_OBJECT'
  | 'RELATIONSHIP_TYPE'
  | 'INVALID_LANGUAGE_TAG'
  | 'STYLE_RECOMMENDATION';

export type Severity = 'error' | 'warning';

export interface ValidationIssue {
  /** JSON path from the document root, e.g. `$.objects[3].created`. */
  readonly path: string;
  readonly code: IssueCode;
  readonly severity: Severity;
  readonly message: string;
}

/** Collects issues while a validator walks a document. */
export class IssueSink {
  readonly issues: ValidationIssue[] = [];

  error(path: string, code: IssueCode, message: string): void {
    this.issues.push({ path, code, severity: 'error', message });
  }

  warn(path: string, code: IssueCode, message: string): void {
    this.issues.push({ path, code, severity: 'warning', message });
  }
}

/** Appends a property to a JSON path, quoting keys that are not plain identifiers. */
export function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

export function countBySeverity(issues: readonly ValidationIssue[]): { errors: number; warnings: number } {
  let errors = 0;
  for (const issue of issues) if (issue.severity === 'error') errors++;
  return { errors, warnings: issues.length - errors };
}
