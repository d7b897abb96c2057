import type { FastifyInstance } from 'fastify';

/** The APIs: whatever they answer depends on who asks, or carries a secret (sign-in, tokens). */
const PRIVATE_PREFIXES = ['/api/', '/taxii2'] as const;
/** The API's own documentation is the same for everyone. */
const PUBLIC_UNDER_API = ['/api/docs', '/api/openapi.json'] as const;

const under = (path: string, prefix: string) =>
  path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`);

/** Whether a path's answers must never be stored by a browser or a shared cache. */
export function isPrivatePath(path: string): boolean {
  if (PUBLIC_UNDER_API.some((p) => under(path, p))) return false;
  return PRIVATE_PREFIXES.some((p) => path === p.replace(/\/$/, '') || under(path, p));
}

/**
 * `Cache-Control: no-store` (RFC 9111 §5.2.2.5) on every answer of the REST API and TAXII —
 * successes, errors and 404s alike, whether the request came with a session cookie, a Bearer or
 * Basic token or nothing: a response to one member must not be replayed from a cache to the next
 * user of the same browser or proxy. A route that set its own policy is overruled here, since no
 * API answer is public. The public log (`/log/*`, its own caching), `/healthz`, the API's
 * documentation and the web app's files are untouched.
 */
export function installPrivateCaching(app: FastifyInstance): void {
  app.addHook('onSend', async (req, reply, payload) => {
    if (isPrivatePath(req.url.split('?')[0] ?? '/')) void reply.header('cache-control', 'no-store');
    return payload;
  });
}
