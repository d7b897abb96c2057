import { isoTime } from '../../core/clock.ts';
import { forbidden, notFound, TabellaError } from '../../core/errors.ts';
import { newId, randomSecret } from '../../core/ids.ts';
import { sha256Hex } from '../../core/secrets.ts';
import { canResetMember, canSeeMembersOf } from '../../policy/index.ts';
import { recordAudit } from '../audit/record.ts';
import type { ServiceContext } from '../context.ts';
import { deleteSessionsOf, revokeTokensOf } from './credential-store.ts';
import { getMember, updateMember } from './member-store.ts';
import { assertAcceptablePassword, hashPassword } from './password.ts';
import { deleteRecoveryCodes } from './recovery-store.ts';
import { findResetLink, insertResetLink, revokeLiveResetLinks, spendResetLink } from './reset-link-store.ts';

/** How long a reset link works. */
export const RESET_LINK_TTL_MS = 24 * 3600 * 1000;

export interface ResetInput {
  /** Attacker-controlled, as is everything below. */
  readonly password?: boolean | undefined;
  readonly mfa?: boolean | undefined;
  /** Also revoke the member's API tokens (their sessions always end). */
  readonly revokeTokens?: boolean | undefined;
}

export interface IssuedReset {
  readonly memberId: string;
  /** The one-time link, shown once to the administrator, who hands it over. */
  readonly resetUrl: string;
  readonly expiresAt: string;
  readonly password: boolean;
  readonly mfa: boolean;
  readonly revokeTokens: boolean;
  readonly sessionsEnded: number;
  readonly tokensRevoked: number;
}

const isAdminRow = (m: { readonly roles: string }) => m.roles.includes('"admin"');

/**
 * Issues a one-time link (24 h) with which a member sets a new password and/or drops their MFA
 * to enroll it again. An organization's admins issue one for its members who are not admins, the
 * operator's admins for anyone. A newer link replaces an unused older one; the member is signed
 * out everywhere at once (and their API tokens revoked when asked).
 */
export async function issueReset(
  ctx: ServiceContext,
  memberId: string,
  input: ResetInput,
): Promise<IssuedReset> {
  const row = await getMember(ctx.db, memberId);
  if (row === undefined || !canSeeMembersOf(ctx.actor, row.org_id)) throw notFound('member');
  if (!canResetMember(ctx.actor, { id: row.id, orgId: row.org_id, isAdmin: isAdminRow(row) })) {
    throw forbidden(
      "an organization's administrators reset its other members; the operator's administrators reset administrators",
    );
  }
  const password = input.password === true;
  const mfa = input.mfa === true;
  const revokeTokens = input.revokeTokens === true;
  if (!password && !mfa) {
    throw new TabellaError('VALIDATION_FAILED', 'choose the password, MFA or both', {
      fields: ['password', 'mfa'],
    });
  }
  if (row.status === 'invited') {
    throw new TabellaError('CONFLICT', 'this member has not joined yet; send them a new invitation instead');
  }
  const secret = randomSecret();
  const now = ctx.clock.now();
  const at = isoTime(now);
  const expiresAt = isoTime(now + RESET_LINK_TTL_MS);
  const done = await ctx.db.transaction().execute(async (trx) => {
    // Writing the member's row first serializes two admins issuing at once (PostgreSQL row lock),
    // so the second one's revocation sees the first one's link: one live link at most.
    await updateMember(trx, row.id, { updated_at: at });
    const replaced = await revokeLiveResetLinks(trx, row.id, at);
    await insertResetLink(trx, {
      id: newId('rst'),
      member_id: row.id,
      token_hash: sha256Hex(secret),
      reset_password: password ? 1 : 0,
      reset_mfa: mfa ? 1 : 0,
      revoke_tokens: revokeTokens ? 1 : 0,
      created_at: at,
      expires_at: expiresAt,
      used_at: null,
      revoked_at: null,
    });
    const sessionsEnded = await deleteSessionsOf(trx, row.id);
    const tokensRevoked = revokeTokens ? await revokeTokensOf(trx, row.id, at) : 0;
    await recordAudit(trx, ctx, {
      action: 'member.reset.issue',
      subjectType: 'member',
      subjectId: row.id,
      details: { password, mfa, revokeTokens, replaced, sessions: sessionsEnded, tokens: tokensRevoked },
    });
    return { sessionsEnded, tokensRevoked };
  });
  return {
    memberId: row.id,
    resetUrl: `${ctx.config.publicUrl}/reset/${secret}`,
    expiresAt,
    password,
    mfa,
    revokeTokens,
    ...done,
  };
}

function invalidLink(): TabellaError {
  return new TabellaError('RESET_LINK_INVALID', 'this reset link is spent, replaced, expired or unknown');
}

async function liveResetLink(ctx: ServiceContext, secret: string) {
  const found = await findResetLink(ctx.db, sha256Hex(secret));
  if (
    found === undefined ||
    found.link.used_at !== null ||
    found.link.revoked_at !== null ||
    found.link.expires_at <= isoTime(ctx.clock.now())
  ) {
    throw invalidLink();
  }
  return found;
}

export interface ResetDescription {
  readonly email: string;
  readonly displayName: string;
  readonly organizationName: string;
  readonly password: boolean;
  readonly mfa: boolean;
  readonly expiresAt: string;
  /** The member must enroll MFA again at their next sign-in (administrators). */
  readonly mfaRequired: boolean;
}

export async function describeReset(ctx: ServiceContext, secret: string): Promise<ResetDescription> {
  const { link, member, org } = await liveResetLink(ctx, secret);
  return {
    email: member.email,
    displayName: member.display_name,
    organizationName: org.name,
    password: link.reset_password === 1,
    mfa: link.reset_mfa === 1,
    expiresAt: link.expires_at,
    mfaRequired: isAdminRow(member),
  };
}

export interface ResetOutcome {
  readonly password: boolean;
  readonly mfa: boolean;
  /** The member must set up MFA when they next sign in. */
  readonly mfaEnrollmentRequired: boolean;
}

/**
 * Uses a reset link: sets the new password and/or turns MFA off (with the recovery codes), clears
 * a lockout, and signs the member out everywhere again. It does not sign them in: they sign in
 * next with what they have, so the link alone never opens a session. The link is spent by
 * compare-and-set, so of parallel uses exactly one succeeds.
 */
export async function redeemReset(
  ctx: ServiceContext,
  secret: string,
  input: { readonly password?: string | undefined },
): Promise<ResetOutcome> {
  const { link, member } = await liveResetLink(ctx, secret);
  const password = link.reset_password === 1;
  const mfa = link.reset_mfa === 1;
  if (password && input.password === undefined) {
    throw new TabellaError('VALIDATION_FAILED', 'password: choose a new password', { fields: ['password'] });
  }
  if (!password && input.password !== undefined) {
    throw new TabellaError('VALIDATION_FAILED', 'password: this link does not reset the password', {
      fields: ['password'],
    });
  }
  if (input.password !== undefined) assertAcceptablePassword(input.password);
  const hash = input.password === undefined ? undefined : await hashPassword(input.password);
  const at = isoTime(ctx.clock.now());
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await spendResetLink(trx, link.id, at))) throw invalidLink();
    await updateMember(trx, member.id, {
      ...(hash === undefined ? {} : { password_hash: hash }),
      ...(mfa ? { mfa_enabled: 0, mfa_secret: null } : {}),
      failed_logins: 0,
      locked_until: null,
      updated_at: at,
    });
    if (mfa) await deleteRecoveryCodes(trx, member.id);
    const sessions = await deleteSessionsOf(trx, member.id);
    const tokens = link.revoke_tokens === 1 ? await revokeTokensOf(trx, member.id, at) : 0;
    await recordAudit(trx, ctx, {
      action: 'member.reset.use',
      subjectType: 'member',
      subjectId: member.id,
      details: { password, mfa, sessions, tokens },
    });
  });
  return { password, mfa, mfaEnrollmentRequired: mfa && isAdminRow(member) };
}
