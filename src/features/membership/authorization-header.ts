import { TabellaError } from '../../core/errors.ts';

/**
 * Parses an `Authorization` header (attacker-controlled) into an API token and, for HTTP Basic
 * `<member e-mail>:<api token>` (what TAXII clients send), the e-mail the token must belong to.
 * One parser for the REST API and the TAXII server, so both accept exactly the same credentials.
 */
export function parseAuthorization(header: string): { token: string; email?: string } {
  const [scheme, value = ''] = header.trim().split(/\s+/, 2);
  switch (scheme?.toLowerCase()) {
    case 'bearer':
      return { token: value };
    case 'basic': {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const i = decoded.indexOf(':');
      if (i < 0) throw new TabellaError('TOKEN_INVALID', 'unknown or revoked token');
      return { email: decoded.slice(0, i), token: decoded.slice(i + 1) };
    }
    default:
      throw new TabellaError('UNAUTHENTICATED', 'use HTTP Basic <e-mail>:<api token> or a Bearer token');
  }
}
