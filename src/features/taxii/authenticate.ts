import type { FastifyRequest } from 'fastify';
import { isTabellaError, TabellaError } from '../../core/errors.ts';
import type { MemberActor } from '../../policy/index.ts';
import { assertTokenScope } from '../http.ts';
import { authenticateToken, type Principal, parseAuthorization } from '../membership/index.ts';

/**
 * What a TAXII client set up with an account password (the commonest mistake: clients ask for a
 * "user" and a "password") needs to hear; the code stays `TOKEN_INVALID`.
 */
const HINT =
  "unknown or revoked API token: TAXII takes an API token, not an account password — create one on the web app's API tokens page (/tokens) and send it as the HTTP Basic password with your e-mail, or as a Bearer token";

/**
 * TAXII routes are declared `public` to the server's authentication hook, because the Public
 * collection is readable anonymously; this hook then authenticates every request that carries
 * an `Authorization` header — HTTP Basic `<member e-mail>:<api token>` (what taxii2-client sends)
 * or `Bearer <api token>` — so a wrong credential is a 401, never a silent downgrade to anonymous.
 */
export async function authenticateTaxii(req: FastifyRequest): Promise<void> {
  const header = req.headers.authorization;
  if (header === undefined) return;
  let principal: Principal;
  try {
    const { token, email } = parseAuthorization(header);
    principal = await authenticateToken(req.ctx, token, email);
  } catch (err) {
    throw isTabellaError(err) && err.code === 'TOKEN_INVALID' ? new TabellaError('TOKEN_INVALID', HINT) : err;
  }
  const spec = req.routeOptions.config.tabella;
  if (spec?.scope !== undefined) assertTokenScope(principal.actor, spec);
  req.ctx = { ...req.ctx, actor: principal.actor };
  req.principal = principal;
}

/** The authenticated member of a TAXII request, or 401 (with `WWW-Authenticate`, see routes). */
export function requireMember(req: FastifyRequest): { actor: MemberActor; principal: Principal } {
  const principal = req.principal;
  if (principal === undefined || req.ctx.actor.kind !== 'member') {
    throw new TabellaError('UNAUTHENTICATED', 'send HTTP Basic <e-mail>:<api token> or a Bearer token');
  }
  return { actor: req.ctx.actor, principal };
}
