import { invalid } from '../../core/errors.ts';
import { isOneOf, TOKEN_SCOPES, type TokenScope } from '../../policy/index.ts';

/** RFC 3339 date-time with an explicit offset (what `new Date().toISOString()` writes, and more). */
const DATE_TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/i;

/**
 * A token's scopes (attacker-controlled: the REST body or the CLI's `--scopes`): a non-empty list of
 * known scopes, returned de-duplicated in their canonical order.
 */
export function checkScopes(value: unknown, field = 'scopes'): TokenScope[] {
  if (!Array.isArray(value) || value.length === 0)
    throw invalid(field, `one or more of ${TOKEN_SCOPES.join(', ')}`);
  for (const s of value) {
    if (!isOneOf(TOKEN_SCOPES, s)) throw invalid(field, `one or more of ${TOKEN_SCOPES.join(', ')}`);
  }
  return TOKEN_SCOPES.filter((s) => value.includes(s));
}

/**
 * A token's expiry (attacker-controlled): an RFC 3339 date-time after `nowMs`, stored as an ISO
 * instant in UTC. There is no upper bound: a token may also never expire (no `expiresAt`).
 */
export function checkExpiry(value: unknown, nowMs: number, field = 'expiresAt'): string {
  if (typeof value !== 'string' || !DATE_TIME_RE.test(value)) throw invalid(field, 'an RFC 3339 date-time');
  const [y, m, d] = value.slice(0, 10).split('-').map(Number) as [number, number, number];
  // Date.parse rolls 2027-02-31 over into March; a calendar date that does not exist is refused.
  const ms = Date.parse(value);
  if (!Number.isFinite(ms) || new Date(Date.UTC(y, m - 1, d)).getUTCDate() !== d)
    throw invalid(field, 'an RFC 3339 date-time');
  if (ms <= nowMs) throw invalid(field, 'must be in the future');
  return new Date(ms).toISOString();
}
