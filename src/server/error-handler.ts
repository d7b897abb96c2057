import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type ErrorCode, isTabellaError, TabellaError } from '../core/errors.ts';
import { databaseFault } from '../db/database-faults.ts';

interface AjvIssue {
  readonly instancePath?: string;
  readonly keyword?: string;
  readonly params?: Readonly<Record<string, unknown>>;
}

/** Turns an Ajv issue into the JSON path of the offending field, e.g. `body.organization.name`. */
function fieldOf(part: string, issue: AjvIssue): string {
  const path = (issue.instancePath ?? '').split('/').filter(Boolean).join('.');
  const extra =
    typeof issue.params?.missingProperty === 'string'
      ? issue.params.missingProperty
      : typeof issue.params?.additionalProperty === 'string'
        ? issue.params.additionalProperty
        : '';
  return [path, extra].filter(Boolean).join('.') || part;
}

const FASTIFY_CODES: Readonly<Record<string, readonly [ErrorCode, string]>> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ['UNSUPPORTED_MEDIA_TYPE', 'send application/json'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ['BAD_REQUEST', 'content-length does not match the body'],
  FST_ERR_CTP_BODY_TOO_LARGE: ['PAYLOAD_TOO_LARGE', 'the body is too large'],
  FST_ERR_CTP_EMPTY_JSON_BODY: ['MALFORMED_JSON', 'the body is empty'],
  FST_ERR_CTP_INVALID_JSON_BODY: ['MALFORMED_JSON', 'the body is not valid JSON'],
  FST_ERR_BAD_URL: ['BAD_REQUEST', 'malformed URL'],
};

/** Maps anything thrown to the one coded error shape; a 5xx is logged, never explained. */
export function toTabellaError(err: unknown): TabellaError {
  if (isTabellaError(err)) return err;
  const fault = databaseFault(err);
  if (fault !== undefined) return fault;
  const e = err as FastifyError & { validation?: readonly AjvIssue[]; validationContext?: string };
  if (Array.isArray(e.validation)) {
    const part = e.validationContext ?? 'body';
    const fields = [...new Set(e.validation.map((i) => fieldOf(part, i)))];
    return new TabellaError('VALIDATION_FAILED', `invalid ${part}: ${fields.join(', ')}`, { fields });
  }
  const mapped = typeof e.code === 'string' ? FASTIFY_CODES[e.code] : undefined;
  if (mapped !== undefined) return new TabellaError(mapped[0], mapped[1]);
  if (e instanceof SyntaxError) return new TabellaError('MALFORMED_JSON', 'the body is not valid JSON');
  const status = typeof e.statusCode === 'number' ? e.statusCode : 500;
  if (status === 413) return new TabellaError('PAYLOAD_TOO_LARGE', 'the body is too large');
  if (status === 415) return new TabellaError('UNSUPPORTED_MEDIA_TYPE', 'unsupported content type');
  if (status === 429) return new TabellaError('RATE_LIMITED', 'too many requests; slow down');
  if (status >= 400 && status < 500) return new TabellaError('BAD_REQUEST', 'the request is malformed');
  return new TabellaError('INTERNAL', 'internal error', { cause: err });
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: unknown, req: FastifyRequest, reply: FastifyReply) => {
    const te = toTabellaError(err);
    if (te.statusCode >= 500) req.log.error({ err }, 'request failed');
    if (te.headers !== undefined) void reply.headers(te.headers);
    if (te.code === 'UNAUTHENTICATED' || te.code === 'TOKEN_INVALID') {
      void reply.header('www-authenticate', 'Bearer realm="tabella", Basic realm="tabella"');
    }
    return reply.code(te.statusCode).type('application/json').send(te.toBody());
  });
}
