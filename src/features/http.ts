import type { FastifyRequest } from 'fastify';
import type { ServiceContext } from './context.ts';
import type { SessionView } from './membership/session-service.ts';
import type { Principal } from './membership/token-service.ts';

/**
 * How a route declares who may call it; the server's authentication hook enforces it before the
 * body is even parsed, so an unauthenticated request is a 401, never a 400.
 * - `public`: anyone;
 * - `member`: a session or an API token;
 * - `session`: a browser session only (cookie + CSRF for writes).
 * `duringMfaEnrollment` lets an administrator who has not enrolled MFA yet through.
 */
export interface RouteAuth {
  readonly auth: 'public' | 'member' | 'session';
  readonly duringMfaEnrollment?: boolean;
  /**
   * Requests per minute per client address, for unauthenticated entry points; `sign-in` takes the
   * configured sign-in limit.
   */
  readonly perMinute?: number | 'sign-in';
  /**
   * Also accept an API token as `?token=` (exports polled by devices that cannot send headers).
   * URLs end up in logs: prefer the Authorization header wherever a client can send one.
   */
  readonly tokenInQuery?: boolean;
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

export type { FastifyRequest };
