import { isoTime } from '../../core/clock.ts';
import { notFound, TabellaError } from '../../core/errors.ts';
import { newId, randomSecret } from '../../core/ids.ts';
import { safeEqual, sha256Hex } from '../../core/secrets.ts';
import { ALL_SCOPES, type MemberActor, scopesWithin, type TokenScope } from '../../policy/index.ts';
import { recordAudit } from '../audit/record.ts';
import type { ServiceContext } from '../context.ts';
import { actorFrom } from './actor-from.ts';
import {
  findActiveToken,
  getToken,
  insertToken,
  listTokensOf,
  revokeToken,
  touchToken,
} from './credential-store.ts';
import { getMember, getMemberByEmail } from './member-store.ts';
import { checkExpiry, checkScopes } from './token-input.ts';
import { checkName } from './validate.ts';
import {
  type Member,
  type Organization,
  parseScopes,
  type Token,
  toMember,
  toOrganization,
  toToken,
} from './views.ts';

/** Who a credential belongs to, resolved once per request. */
export interface Principal {
  readonly actor: MemberActor;
  readonly member: Member;
  readonly organization: Organization;
}

/** Tokens look like `tbl_<43 base64url chars>`; the prefix lets people and secret scanners spot them. */
export const TOKEN_PREFIX = 'tbl_';
const TOKEN_RE = /^tbl_[A-Za-z0-9_-]{43}$/;
/** last_used_at is written at most once a minute, so authenticated reads stay reads. */
const TOUCH_INTERVAL_MS = 60_000;

export async function listTokens(ctx: ServiceContext): Promise<Token[]> {
  if (ctx.actor.kind !== 'member') throw new TabellaError('UNAUTHENTICATED', 'sign in first');
  return (await listTokensOf(ctx.db, ctx.actor.memberId)).map(toToken);
}

/**
 * Creates a token for the actor — or, from the CLI, for any member given by id or e-mail.
 * The secret is returned once and stored only as its SHA-256.
 */
export async function createToken(
  ctx: ServiceContext,
  input: {
    readonly name?: string | undefined;
    readonly member?: string | undefined;
    /** Default: every scope, as tokens did before scopes existed (docs/api.md "Token scopes"). */
    readonly scopes?: readonly unknown[] | undefined;
    /** RFC 3339; default: never expires. */
    readonly expiresAt?: string | undefined;
  },
): Promise<Token & { readonly token: string }> {
  const now = ctx.clock.now();
  const scopes = input.scopes === undefined ? [...ALL_SCOPES] : checkScopes(input.scopes);
  const expiresAt = input.expiresAt === undefined ? null : checkExpiry(input.expiresAt, now);
  let memberId: string;
  if (ctx.actor.kind === 'member') {
    memberId = ctx.actor.memberId;
    if (ctx.actor.via === 'token') await assertNotWider(ctx, ctx.actor, scopes, expiresAt);
  } else if (ctx.actor.kind === 'cli' && input.member !== undefined) {
    const row = input.member.includes('@')
      ? await getMemberByEmail(ctx.db, input.member.trim().toLowerCase())
      : await getMember(ctx.db, input.member);
    if (row === undefined) throw notFound('member');
    memberId = row.id;
  } else {
    throw new TabellaError('UNAUTHENTICATED', 'sign in first');
  }
  const name = checkName(input.name ?? 'API token', 'name', 100);
  const secret = `${TOKEN_PREFIX}${randomSecret(32)}`;
  const at = isoTime(now);
  const row = {
    id: newId('tok'),
    member_id: memberId,
    name,
    token_hash: sha256Hex(secret),
    prefix: secret.slice(0, 10),
    created_at: at,
    last_used_at: null,
    revoked_at: null,
    scopes: JSON.stringify(scopes),
    expires_at: expiresAt,
  };
  await ctx.db.transaction().execute(async (trx) => {
    await insertToken(trx, row);
    await recordAudit(trx, ctx, {
      action: 'token.create',
      subjectType: 'token',
      subjectId: row.id,
      details: { memberId, name, scopes, expiresAt },
    });
  });
  return { ...toToken(row), token: secret };
}

/**
 * A token that makes a token (it needs `admin`) never makes one that can do more than itself: the
 * new token's scopes are among its own, and it expires no later than it does.
 */
async function assertNotWider(
  ctx: ServiceContext,
  actor: MemberActor,
  scopes: readonly TokenScope[],
  expiresAt: string | null,
): Promise<void> {
  const own = actor.tokenId === undefined ? undefined : await getToken(ctx.db, actor.tokenId);
  if (own === undefined) throw new TabellaError('TOKEN_INVALID', 'unknown or revoked token');
  if (!scopesWithin(scopes, actor.scopes ?? []))
    throw new TabellaError('TOKEN_SCOPE', 'a token cannot make a token with scopes it does not have');
  if (own.expires_at !== null && (expiresAt === null || expiresAt > own.expires_at))
    throw new TabellaError('TOKEN_SCOPE', 'a token cannot make a token that outlives it');
}

export async function revokeTokenFor(ctx: ServiceContext, id: string): Promise<void> {
  const row = await getToken(ctx.db, id);
  const mine =
    row !== undefined &&
    (ctx.actor.kind === 'cli' || (ctx.actor.kind === 'member' && row.member_id === ctx.actor.memberId));
  if (row === undefined || !mine) throw notFound('token');
  if (row.revoked_at !== null) return;
  await ctx.db.transaction().execute(async (trx) => {
    await revokeToken(trx, id, isoTime(ctx.clock.now()));
    await recordAudit(trx, ctx, { action: 'token.revoke', subjectType: 'token', subjectId: id });
  });
}

/**
 * Authenticates an API token (attacker-controlled). With `email` (HTTP Basic, as TAXII clients
 * send it) the token must belong to that member.
 */
export async function authenticateToken(
  ctx: Pick<ServiceContext, 'db' | 'clock'>,
  token: string,
  email?: string,
): Promise<Principal> {
  if (!TOKEN_RE.test(token)) throw new TabellaError('TOKEN_INVALID', 'unknown or revoked token');
  const row = await findActiveToken(ctx.db, sha256Hex(token));
  if (row === undefined) throw new TabellaError('TOKEN_INVALID', 'unknown or revoked token');
  if (email !== undefined && !safeEqual(email.trim().toLowerCase(), row.email)) {
    throw new TabellaError('TOKEN_INVALID', 'unknown or revoked token');
  }
  const now = ctx.clock.now();
  // An expired token is refused exactly like a revoked one (same code, same message).
  if (row.expires_at !== null && Date.parse(row.expires_at) <= now) {
    throw new TabellaError('TOKEN_INVALID', 'unknown or revoked token');
  }
  const actor = actorFrom(
    {
      memberId: row.member_id,
      memberStatus: row.member_status,
      roles: row.roles,
      tier: row.tier,
      orgId: row.org_id,
      orgStatus: row.org_status,
      isOperator: row.is_operator,
      orgRole: row.org_role,
    },
    'token',
    { id: row.token_id, scopes: parseScopes(row.scopes) },
  );
  if (row.last_used_at === null || now - Date.parse(row.last_used_at) > TOUCH_INTERVAL_MS) {
    await touchToken(ctx.db, row.token_id, isoTime(now));
  }
  return {
    actor,
    member: toMember({
      id: row.member_id,
      org_id: row.org_id,
      email: row.email,
      display_name: row.display_name,
      roles: row.roles,
      tier: row.tier,
      status: row.member_status,
      mfa_enabled: row.mfa_enabled,
      created_at: row.member_created_at,
    }),
    organization: toOrganization({
      id: row.org_id,
      name: row.org_name,
      kind: row.org_kind,
      role: row.org_role,
      jurisdiction: row.org_jurisdiction,
      status: row.org_status,
      is_operator: row.is_operator,
      created_at: row.org_created_at,
    }),
  };
}
