import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Clock } from '../core/clock.ts';
import type { Config } from '../core/config.ts';
import { TabellaError } from '../core/errors.ts';
import { safeEqual } from '../core/secrets.ts';
import type { Db } from '../db/index.ts';
import type { ServiceContext } from '../features/context.ts';
import { assertTokenScope, SESSION_COOKIE, scopesOf } from '../features/http.ts';
import { authenticateToken, parseAuthorization, resolveSession } from '../features/membership/index.ts';
import { type Actor, tokenAllows } from '../policy/index.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const ANONYMOUS: Actor = { kind: 'anonymous' };

/** A browser write must come from our own origin (login CSRF and cross-site form posts). */
function assertSameOrigin(req: FastifyRequest): void {
  const origin = req.headers.origin;
  if (origin === undefined || origin === 'null') return;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    throw new TabellaError('CSRF_FAILED', 'cross-origin request refused');
  }
  if (host !== req.headers.host) throw new TabellaError('CSRF_FAILED', 'cross-origin request refused');
}

/**
 * Resolves the actor of every request before its body is read, enforcing the route's declared
 * `RouteAuth`, CSRF for cookie-authenticated writes and the MFA-enrollment gate for admins.
 */
export function installAuthentication(
  app: FastifyInstance,
  deps: { db: Db; clock: Clock; config: Config },
): void {
  app.decorateRequest('ctx', null as unknown as ServiceContext);
  app.decorateRequest('sessionId', undefined);
  app.decorateRequest('principal', undefined);
  app.decorateRequest('sessionView', undefined);
  // The scope of every route a token can reach is decided when it is written, never by omission.
  app.addHook('onRoute', (route) => {
    const spec = route.config?.tabella;
    const scopes = scopesOf(spec);
    if ((spec?.auth === 'member' || spec?.auth === 'optional') && scopes.length === 0) {
      throw new Error(`${route.method} ${route.url}: a route tokens can reach must declare its token scope`);
    }
    // The OpenAPI document says which token scopes each operation takes (docs/api.md "Token scopes").
    // (A GET's HEAD route shares its schema object: the note is added once.)
    const note = `API token scopes: ${scopes.join(' or ')}.`;
    const description = route.schema?.description;
    if (scopes.length > 0 && route.schema !== undefined && !String(description ?? '').endsWith(note)) {
      route.schema.description = typeof description === 'string' ? `${description}\n\n${note}` : note;
    }
  });
  app.addHook('onRequest', async (req) => {
    const spec = req.routeOptions.config.tabella;
    const base = { db: deps.db.kysely, clock: deps.clock, config: deps.config, ip: req.ip };
    req.ctx = { ...base, actor: ANONYMOUS };
    if (spec === undefined || spec.auth === 'public') {
      if (!SAFE_METHODS.has(req.method)) assertSameOrigin(req);
      return;
    }
    const queryToken =
      spec.tokenInQuery === true ? (req.query as { token?: unknown } | undefined)?.token : undefined;
    const inQuery = req.headers.authorization === undefined && typeof queryToken === 'string';
    const header = req.headers.authorization ?? (inQuery ? `Bearer ${queryToken}` : undefined);
    if (header !== undefined && spec.auth !== 'session') {
      const { token, email } = parseAuthorization(header);
      const principal = await authenticateToken(base, token, email);
      // A token in a URL ends up in logs and browser histories: only a `feeds` token, which can do
      // nothing but pull feeds, is accepted there (docs/api.md "Token scopes").
      if (inQuery && !tokenAllows(principal.actor, ['feeds'])) {
        throw new TabellaError('TOKEN_SCOPE', 'only a feeds token may be sent as ?token=');
      }
      assertTokenScope(principal.actor, spec);
      req.ctx = { ...base, actor: principal.actor };
      req.principal = principal;
      return;
    }
    const cookie = req.cookies[SESSION_COOKIE];
    if (cookie === undefined || cookie === '') {
      // Public data (`optional`): nobody signed in is the anonymous actor, who sees public objects only.
      if (spec.auth === 'optional') return;
      throw new TabellaError('UNAUTHENTICATED', 'sign in or send a token');
    }
    const resolved = await resolveSession(req.ctx, cookie);
    if (!SAFE_METHODS.has(req.method)) {
      assertSameOrigin(req);
      const sent = req.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !safeEqual(sent, resolved.view.csrfToken)) {
        throw new TabellaError('CSRF_FAILED', 'missing or wrong X-CSRF-Token header');
      }
    }
    if (resolved.view.mfaEnrollmentRequired && spec.duringMfaEnrollment !== true) {
      throw new TabellaError('MFA_ENROLLMENT_REQUIRED', 'administrators must enroll MFA first');
    }
    req.ctx = { ...base, actor: resolved.actor };
    req.sessionId = resolved.sessionId;
    req.sessionView = resolved.view;
    req.principal = {
      actor: resolved.actor,
      member: resolved.view.member,
      organization: resolved.view.organization,
    };
  });
}
