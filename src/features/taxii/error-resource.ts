import { ERROR_REGISTRY, type ErrorCode, isTabellaError, TabellaError } from '../../core/errors.ts';
import { databaseFault } from '../../db/database-faults.ts';

/**
 * The TAXII 2.1 error message resource (§3.6.1). `title` and `http_status` (a string that must
 * match the HTTP status) come from our coded registry; `error_code` carries our stable code, the
 * one clients program against (docs/errors.md); `details.fields` names offending inputs.
 * The description is the registry message, which never holds secrets or whole inputs.
 */
export interface TaxiiErrorResource {
  readonly title: string;
  readonly description: string;
  readonly error_code: string;
  readonly http_status: string;
  readonly details?: { readonly fields: readonly string[] };
}

export function toTaxiiError(err: TabellaError): TaxiiErrorResource {
  const base = {
    title: ERROR_REGISTRY[err.code].error,
    description: err.message,
    error_code: err.code,
    http_status: String(err.statusCode),
  };
  return err.fields === undefined ? base : { ...base, details: { fields: err.fields } };
}

/** What Fastify raises before our handlers run, in the one registry (as the server's handler does). */
const FRAMEWORK_CODES: Readonly<Record<string, readonly [ErrorCode, string]>> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ['UNSUPPORTED_MEDIA_TYPE', 'send application/taxii+json;version=2.1'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ['BAD_REQUEST', 'content-length does not match the body'],
  FST_ERR_CTP_BODY_TOO_LARGE: ['PAYLOAD_TOO_LARGE', 'the body is larger than max_content_length'],
  FST_ERR_CTP_EMPTY_JSON_BODY: ['MALFORMED_JSON', 'the body is empty'],
  FST_ERR_CTP_INVALID_JSON_BODY: ['MALFORMED_JSON', 'the body is not valid JSON'],
};

/** Anything thrown on a TAXII route as a coded error; unknown faults are INTERNAL, never explained. */
export function asTabellaError(err: unknown): TabellaError {
  if (isTabellaError(err)) return err;
  const fault = databaseFault(err);
  if (fault !== undefined) return fault;
  const e = err as { code?: unknown; statusCode?: unknown };
  const mapped = typeof e.code === 'string' ? FRAMEWORK_CODES[e.code] : undefined;
  if (mapped !== undefined) return new TabellaError(mapped[0], mapped[1]);
  if (err instanceof SyntaxError) return new TabellaError('MALFORMED_JSON', 'the body is not valid JSON');
  const status = typeof e.statusCode === 'number' ? e.statusCode : 500;
  if (status === 413)
    return new TabellaError('PAYLOAD_TOO_LARGE', 'the body is larger than max_content_length');
  if (status === 415) return new TabellaError('UNSUPPORTED_MEDIA_TYPE', 'unsupported content type');
  if (status === 429) return new TabellaError('RATE_LIMITED', 'too many requests; slow down');
  if (status >= 400 && status < 500) return new TabellaError('BAD_REQUEST', 'the request is malformed');
  return new TabellaError('INTERNAL', 'internal error', { cause: err });
}
