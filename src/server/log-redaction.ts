import type { FastifyRequest } from 'fastify';

/** Query and route parameter names whose values are credentials (compared without case or `-_`). */
const SECRET_NAMES =
  /^(token|accesstoken|apikey|key|secret|clientsecret|password|passwd|passphrase|code|otp|totp|invitation|invite|csrf|csrftoken|session|signature|sig)$/;

/** Paths that carry a secret as a segment, for requests no route matched (the web app's pages). */
const SECRET_SEGMENTS: readonly RegExp[] = [
  /^(\/invite\/)[^/]+/,
  /^(\/api\/v1\/invitations\/)[^/]+/,
  /^(\/reset\/)[^/]+/,
  /^(\/api\/v1\/resets\/)[^/]+/,
];

export const REDACTED = '[redacted]';

const isSecretName = (name: string) => SECRET_NAMES.test(name.toLowerCase().replace(/[-_]/g, ''));

function redactPath(path: string, route: string | undefined): string {
  let out = path;
  if (route !== undefined) {
    // Route parameters named like a secret (`/api/v1/invitations/:token`), by position.
    const pattern = route.split('/');
    const parts = out.split('/');
    pattern.forEach((seg, i) => {
      if (seg.startsWith(':') && isSecretName(seg.slice(1)) && i < parts.length) parts[i] = REDACTED;
    });
    out = parts.join('/');
  }
  for (const re of SECRET_SEGMENTS) out = out.replace(re, `$1${REDACTED}`);
  return out;
}

function redactQuery(query: string): string {
  return query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const raw = eq < 0 ? pair : pair.slice(0, eq);
      let name: string;
      try {
        name = decodeURIComponent(raw.replace(/\+/g, ' '));
      } catch {
        name = raw;
      }
      return eq >= 0 && isSecretName(name) ? `${raw}=${REDACTED}` : pair;
    })
    .join('&');
}

/**
 * A request URL (attacker-controlled, and holding secrets when a device polls an export with
 * `?token=` or someone opens an invitation link) with every credential replaced by `[redacted]`:
 * query values of parameters named like a secret, and path segments that are one.
 *
 * @example
 * redactUrl('/api/v1/exports/csv?token=tbl_x&type=ipv4-addr'); // '/api/v1/exports/csv?token=[redacted]&type=ipv4-addr'
 */
export function redactUrl(url: string, route?: string): string {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const redacted = redactPath(path, route);
  return q < 0 ? redacted : `${redacted}?${redactQuery(url.slice(q + 1))}`;
}

/**
 * Fastify's request log serializer (the fields of its default one) with the URL redacted, so
 * `TABELLA_LOG_LEVEL=info` request lines hold no token, invitation secret or password.
 */
export function serializeRequest(req: FastifyRequest): Record<string, unknown> {
  return {
    method: req.method,
    url: redactUrl(req.url, req.routeOptions?.url),
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}
