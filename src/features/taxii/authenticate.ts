import type { FastifyRequest } from 'fastify';
import { TabellaError } from '../../core/errors.ts';
import type { MemberActor } from '../../policy/index.ts';
import { authenticateToken, type Principal, parseAuthorization } from '../membership/index.ts';

/**
 * TAXII routes are declared `public` to the server's authentication hook, because the Public
 * collection is readable anonymously; this hook then authenticates every request that carries
 * an `Authorization` header — HTTP Basic `<member e-mail>:<api token>` (what taxii2-client sends)
 * or `Bearer <api token>` — so a wrong credential is a 401, never a silent downgrade to anonymous.
 */
export async function authenticateTaxii(req: FastifyRequest): Promise<void> {
  const header = req.headers.authorization;
  if (header === undefined) return;
  const { token, email } = parseAuthorization(header);
  const principal = await authenticateToken(req.ctx, token, email);
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
