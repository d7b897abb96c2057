/**
 * The one registry of coded errors (DESIGN.md "Conventions"; STYLE.md practices 4 and 5).
 *
 * Each code maps to exactly one HTTP status and is documented in docs/errors.md; a test keeps the
 * two in sync. Codes are an API contract: never rename or reuse one.
 * Messages never contain secrets or whole inputs (STYLE.md practice 20).
 */
export const ERROR_REGISTRY = {
  BAD_REQUEST: { status: 400, error: 'Bad Request' },
  VALIDATION_FAILED: { status: 400, error: 'Bad Request' },
  MALFORMED_JSON: { status: 400, error: 'Bad Request' },
  INVALID_JURISDICTION: { status: 400, error: 'Bad Request' },
  INVALID_TOTP: { status: 400, error: 'Bad Request' },
  WEAK_PASSWORD: { status: 400, error: 'Bad Request' },
  INVALID_SIGNATURE: { status: 400, error: 'Bad Request' },
  NESTING_TOO_DEEP: { status: 400, error: 'Bad Request' },
  NAME_INVALID_CHARACTERS: { status: 400, error: 'Bad Request' },
  UNAUTHENTICATED: { status: 401, error: 'Unauthorized' },
  INVALID_CREDENTIALS: { status: 401, error: 'Unauthorized' },
  MFA_REQUIRED: { status: 401, error: 'Unauthorized' },
  SESSION_EXPIRED: { status: 401, error: 'Unauthorized' },
  TOKEN_INVALID: { status: 401, error: 'Unauthorized' },
  FORBIDDEN: { status: 403, error: 'Forbidden' },
  CSRF_FAILED: { status: 403, error: 'Forbidden' },
  MFA_ENROLLMENT_REQUIRED: { status: 403, error: 'Forbidden' },
  TOKEN_SCOPE: { status: 403, error: 'Forbidden' },
  SELF_ROLE_CHANGE: { status: 403, error: 'Forbidden' },
  MEMBER_SUSPENDED: { status: 403, error: 'Forbidden' },
  ORG_SUSPENDED: { status: 403, error: 'Forbidden' },
  SETUP_CODE_INVALID: { status: 403, error: 'Forbidden' },
  NOT_FOUND: { status: 404, error: 'Not Found' },
  METHOD_NOT_ALLOWED: { status: 405, error: 'Method Not Allowed' },
  NOT_ACCEPTABLE: { status: 406, error: 'Not Acceptable' },
  CONFLICT: { status: 409, error: 'Conflict' },
  EMAIL_TAKEN: { status: 409, error: 'Conflict' },
  ORG_NAME_TAKEN: { status: 409, error: 'Conflict' },
  NAME_CONFUSABLE: { status: 409, error: 'Conflict' },
  RENAME_NOT_PENDING: { status: 409, error: 'Conflict' },
  SETUP_ALREADY_DONE: { status: 409, error: 'Conflict' },
  MFA_ALREADY_ENROLLED: { status: 409, error: 'Conflict' },
  EVENT_NOT_LOGGED: { status: 409, error: 'Conflict' },
  INVITATION_NOT_PENDING: { status: 409, error: 'Conflict' },
  INVITATION_INVALID: { status: 410, error: 'Gone' },
  RESET_LINK_INVALID: { status: 410, error: 'Gone' },
  PAYLOAD_TOO_LARGE: { status: 413, error: 'Payload Too Large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, error: 'Unsupported Media Type' },
  ACCOUNT_LOCKED: { status: 429, error: 'Too Many Requests' },
  RATE_LIMITED: { status: 429, error: 'Too Many Requests' },
  INTERNAL: { status: 500, error: 'Internal Server Error' },
  SERVICE_UNAVAILABLE: { status: 503, error: 'Service Unavailable' },
  DATABASE_BUSY: { status: 503, error: 'Service Unavailable' },
  STORAGE_FULL: { status: 503, error: 'Service Unavailable' },
  // A node that would sign its database's log with another key or origin refuses to start (issue
  // 11 §6); these reach the console and the exit code, never an HTTP client.
  LOG_KEY_MISSING: { status: 503, error: 'Service Unavailable' },
  LOG_KEY_MISMATCH: { status: 503, error: 'Service Unavailable' },
  LOG_ORIGIN_MISMATCH: { status: 503, error: 'Service Unavailable' },
} as const satisfies Record<string, { readonly status: number; readonly error: string }>;

export type ErrorCode = keyof typeof ERROR_REGISTRY;

/**
 * Codes of the per-object failures of a share (REST `failures[].code`, TAXII status `failures[]`
 * as `<CODE>: <why>`, `tabella intel import`). They are not HTTP errors — the request itself
 * succeeds — and have no status. Documented in docs/errors.md "Per-object failures"; the same test
 * keeps the two in sync. Never renamed or reused.
 */
export const SHARE_FAILURE_CODES = [
  'INVALID_STIX',
  'FORGED_CREATED_BY',
  'INVALID_MARKING',
  'DISTRIBUTION_NOT_ALLOWED',
  'DUPLICATE_VERSION',
] as const;

export type ShareFailureCode = (typeof SHARE_FAILURE_CODES)[number];

/** The wire shape of every error response. */
export interface ErrorBody {
  readonly statusCode: number;
  readonly code: ErrorCode;
  readonly error: string;
  readonly message: string;
  /** JSON paths of the offending input fields, when the error is about input. */
  readonly fields?: readonly string[];
}

/**
 * The base of every error Tabella raises on purpose.
 *
 * @example
 * throw new TabellaError('NOT_FOUND', 'organization not found');
 */
export class TabellaError<C extends ErrorCode = ErrorCode> extends Error {
  readonly code: C;
  readonly statusCode: number;
  readonly fields: readonly string[] | undefined;
  /** Extra headers the HTTP layer must send (e.g. Retry-After). */
  readonly headers: Readonly<Record<string, string>> | undefined;

  constructor(
    code: C,
    message: string,
    options: {
      readonly cause?: unknown;
      readonly fields?: readonly string[];
      readonly headers?: Readonly<Record<string, string>>;
    } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TabellaError';
    this.code = code;
    this.statusCode = ERROR_REGISTRY[code].status;
    this.fields = options.fields;
    this.headers = options.headers;
  }

  toBody(): ErrorBody {
    const base = {
      statusCode: this.statusCode,
      code: this.code,
      error: ERROR_REGISTRY[this.code].error,
      message: this.message,
    };
    return this.fields === undefined ? base : { ...base, fields: this.fields };
  }
}

export function isTabellaError(value: unknown): value is TabellaError {
  return value instanceof TabellaError;
}

/** Shorthand for the most common refusals, so call sites read as intent. */
export const notFound = (what: string): TabellaError<'NOT_FOUND'> =>
  new TabellaError('NOT_FOUND', `${what} not found`);
export const forbidden = (why: string): TabellaError<'FORBIDDEN'> => new TabellaError('FORBIDDEN', why);
export const invalid = (field: string, why: string): TabellaError<'VALIDATION_FAILED'> =>
  new TabellaError('VALIDATION_FAILED', `${field}: ${why}`, { fields: [field] });
