import type { FastifyRequest } from 'fastify';
import { TabellaError } from '../core/errors.ts';
import { type Actor, type TokenScope, tokenAllows } from '../policy/index.ts';
import type { ServiceContext } from './context.ts';
import type { SessionView } from './membership/session-service.ts';
import type { Principal } from './membership/token-service.ts';

/**
 * How a route declares who may call it; the server's authentication hook enforces it before the
 * body is even parsed, so an unauthenticated request is a 401, never a 400.
 * - `public`: anyone;
 * - `member`: a session or an API token;
 * - `session`: a browser session only (cookie + CSRF for writes);
 * - `optional`: public data — anyone, and a credential that is sent is authenticated (a wrong one
 *   is a 401, never a silent downgrade to anonymous).
 * `duringMfaEnrollment` lets an administrator who has not enrolled MFA yet through.
 */
export interface RouteAuth {
  readonly auth: 'public' | 'member' | 'session' | 'optional';
  readonly duringMfaEnrollment?: boolean;
  /**
   * Requests per minute per client address, for unauthenticated entry points; `sign-in` takes the
   * configured sign-in limit.
   */
  readonly perMinute?: number | 'sign-in';
  /**
   * Requests that carry no credential (no Authorization header, no session cookie, no `?token=`)
   * count against `TABELLA_PUBLIC_RATE_LIMIT` per client address per endpoint: public data served
   * anonymously (the TAXII Public collection).
   */
  readonly anonymousLimited?: boolean;
  /**
   * Also accept an API token as `?token=` (exports polled by devices that cannot send headers).
   * URLs end up in logs: prefer the Authorization header wherever a client can send one.
   */
  readonly tokenInQuery?: boolean;
  /**
   * The token scopes that let an API token call this route (any one suffices; policy/token-scopes.ts,
   * docs/api.md "Token scopes"). Every route a token can reach declares it: the server refuses to
   * start otherwise. TAXII routes declare it too, for their own authentication hook.
   */
  readonly scope?: TokenScope | readonly TokenScope[];
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The service context of this request, set by the server's authentication hook. */
    ctx: ServiceContext;
    /** The session id (digest) when authenticated by cookie. */
    sessionId: string | undefined;
    /** The authenticated member and organization, resolved once by the authentication hook. */
    principal: Principal | undefined;
    /** The browser session as the hook resolved it, when authenticated by cookie. */
    sessionView: SessionView | undefined;
  }
  interface FastifyContextConfig {
    tabella?: RouteAuth;
  }
}

export const SESSION_COOKIE = 'tabella_session';

/** The scopes a route declares, as a list (an absent declaration allows no token). */
export function scopesOf(spec: RouteAuth | undefined): readonly TokenScope[] {
  const scope = spec?.scope;
  if (scope === undefined) return [];
  return typeof scope === 'string' ? [scope] : scope;
}

/** Refuses a token actor whose scopes do not cover the route (`403 TOKEN_SCOPE`). */
export function assertTokenScope(actor: Actor, spec: RouteAuth | undefined): void {
  const needed = scopesOf(spec);
  if (!tokenAllows(actor, needed)) {
    throw new TabellaError(
      'TOKEN_SCOPE',
      `this token's scopes do not allow this; it needs ${needed.join(' or ')}`,
    );
  }
}

export type { FastifyRequest };
