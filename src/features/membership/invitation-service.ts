import { isoTime } from '../../core/clock.ts';
import { forbidden, notFound, TabellaError } from '../../core/errors.ts';
import { newId, randomSecret } from '../../core/ids.ts';
import { sha256Hex } from '../../core/secrets.ts';
import { canManageInvitationsOf, canManageMembersOf, isOperatorAdmin } from '../../policy/index.ts';
import { recordAudit } from '../audit/record.ts';
import type { Executor, ServiceContext, Tx } from '../context.ts';
import { insertInvitation } from './credential-store.ts';
import {
  dropOpenInvitations,
  hasActiveAdmin,
  hasJoined,
  hasTokens,
  openInvitationOf,
  removeInvitee,
} from './invitation-store.ts';
import { visibleRosterOrg, withInvitation, writeNewMember } from './member-service.ts';
import { getMember, getMemberByEmail } from './member-store.ts';
import { checkEmail, checkName, checkRoles, checkTier } from './validate.ts';
import { type Member, toMember } from './views.ts';

/**
 * Invitations: issuing one, re-sending it (a new link; the earlier ones stop working) and revoking
 * it. An invitee who never joined holds their address only while an invitation of theirs is open:
 * once it expired or was revoked, a new invitation of the address (in any organization) replaces
 * them.
 */

export const INVITATION_TTL_MS = 7 * 24 * 3600 * 1000;

export interface InviteInput {
  readonly email: string;
  readonly displayName?: string | undefined;
  readonly roles: readonly string[];
  readonly tier?: number | string | undefined;
}

export interface Invitation {
  readonly member: Member;
  readonly invitationUrl: string;
}

/**
 * Whether the actor may manage the organization's invitations, and as whom: its own admins (and
 * the CLI), or the operator's admins while it has no active administrator. Someone who cannot see
 * the roster gets 404; someone who can but may not invite, 403.
 */
async function invitationAuthority(ctx: ServiceContext, orgId: string): Promise<'own' | 'operator'> {
  await visibleRosterOrg(ctx, orgId);
  if (canManageMembersOf(ctx.actor, orgId)) return 'own';
  if (canManageInvitationsOf(ctx.actor, orgId, await hasActiveAdmin(ctx.db, orgId))) return 'operator';
  throw forbidden(
    isOperatorAdmin(ctx.actor)
      ? 'this organization has an active administrator: its administrators manage its invitations'
      : "only this organization's administrators invite members",
  );
}

/** Stores a new invitation of a member and returns its link; the secret is kept only as a digest. */
async function issueInvitation(
  trx: Executor,
  ctx: ServiceContext,
  memberId: string,
  now: number,
): Promise<{ url: string; createdAt: string; expiresAt: string }> {
  const secret = randomSecret();
  const createdAt = isoTime(now);
  const expiresAt = isoTime(now + INVITATION_TTL_MS);
  await insertInvitation(trx, {
    id: newId('inv'),
    member_id: memberId,
    token_hash: sha256Hex(secret),
    created_at: createdAt,
    expires_at: expiresAt,
    used_at: null,
  });
  return { url: `${ctx.config.publicUrl}/invite/${secret}`, createdAt, expiresAt };
}

/**
 * Frees an address held by a never-joined invitee whose invitation expired: they are removed, in
 * the caller's transaction, and the removal is audited for their organization. An address held by
 * anyone else is left alone (the insert that follows then answers EMAIL_TAKEN).
 */
export async function freeLapsedAddress(trx: Tx, ctx: ServiceContext, email: string): Promise<void> {
  const holder = await getMemberByEmail(trx, email);
  if (holder === undefined || holder.status === 'active') return;
  if ((await hasJoined(trx, holder)) || (await hasTokens(trx, holder.id))) return;
  const open = await openInvitationOf(trx, holder.id);
  if (open !== undefined && open.expires_at > isoTime(ctx.clock.now())) return;
  await recordAudit(trx, ctx, {
    action: 'invitation.revoke',
    subjectType: 'member',
    subjectId: holder.id,
    subjectOrgId: holder.org_id,
    details: { expired: true, removed: true },
  });
  await removeInvitee(trx, holder.id);
}

/**
 * An organization's admins invite members; the operator's admins invite the first administrator
 * of an organization without an active one. The link is returned once and stored only as a digest.
 */
export async function inviteMember(
  ctx: ServiceContext,
  orgId: string,
  input: InviteInput,
): Promise<Invitation> {
  const authority = await invitationAuthority(ctx, orgId);
  const email = checkEmail(input.email);
  const displayName = checkName(input.displayName ?? email.split('@')[0], 'displayName');
  const roles = checkRoles(input.roles);
  const tier = input.tier === undefined ? 1 : checkTier(input.tier);
  if (authority === 'operator' && !roles.includes('admin')) {
    throw forbidden("the operator invites an organization's administrators; they invite the rest");
  }
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    await freeLapsedAddress(trx, ctx, email);
    const m = await writeNewMember(trx, now, {
      orgId,
      email,
      displayName,
      roles,
      tier,
      status: 'invited',
      passwordHash: null,
    });
    const issued = await issueInvitation(trx, ctx, m.id, now);
    await recordAudit(trx, ctx, {
      action: 'member.invite',
      subjectType: 'member',
      subjectId: m.id,
      details: { orgId, roles, tier, ...(authority === 'operator' ? { byOperator: true } : {}) },
    });
    return {
      member: withInvitation(m, { created_at: issued.createdAt, expires_at: issued.expiresAt }, now),
      invitationUrl: issued.url,
    };
  });
}

/**
 * The member an invitation action is about — by id, or from the CLI also by e-mail — after the
 * access checks: 404, then 403.
 */
async function invitee(ctx: ServiceContext, ref: string) {
  const row =
    ctx.actor.kind === 'cli' && ref.includes('@')
      ? await getMemberByEmail(ctx.db, ref.trim().toLowerCase())
      : await getMember(ctx.db, ref);
  if (row === undefined) throw notFound('member');
  try {
    await invitationAuthority(ctx, row.org_id);
  } catch (err) {
    // The roster's invisibility is the member's.
    if (err instanceof TabellaError && err.code === 'NOT_FOUND') throw notFound('member');
    throw err;
  }
  return row;
}

const notPending = (why: string) => new TabellaError('INVITATION_NOT_PENDING', why);

/**
 * Issues a new link for an invitee who has not joined yet; every earlier link of theirs stops
 * working. The invitee must be `invited` (a suspended one is reactivated first).
 */
export async function resendInvitation(ctx: ServiceContext, member: string): Promise<Invitation> {
  const row = await invitee(ctx, member);
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const current = await getMember(trx, row.id);
    if (current === undefined) throw notFound('member');
    if (current.status !== 'invited' || (await hasJoined(trx, current)))
      throw notPending('only an invited member who has not joined yet gets a new invitation');
    const dropped = await dropOpenInvitations(trx, current.id);
    const issued = await issueInvitation(trx, ctx, current.id, now);
    await recordAudit(trx, ctx, {
      action: 'invitation.resend',
      subjectType: 'member',
      subjectId: current.id,
      details: { replaced: dropped },
    });
    return {
      member: withInvitation(
        toMember(current),
        { created_at: issued.createdAt, expires_at: issued.expiresAt },
        now,
      ),
      invitationUrl: issued.url,
    };
  });
}

/**
 * Revokes an invitee's invitation: their links stop working and, unless CLI-made API tokens keep
 * the member in use, the never-joined invitee is removed, which frees the address.
 */
export async function revokeInvitation(
  ctx: ServiceContext,
  member: string,
): Promise<{ memberId: string; removed: boolean }> {
  const row = await invitee(ctx, member);
  return ctx.db.transaction().execute(async (trx) => {
    const current = await getMember(trx, row.id);
    if (current === undefined) throw notFound('member');
    if (current.status === 'active' || (await hasJoined(trx, current)))
      throw notPending('this member joined already; suspend them instead');
    const removed = !(await hasTokens(trx, current.id));
    await recordAudit(trx, ctx, {
      action: 'invitation.revoke',
      subjectType: 'member',
      subjectId: current.id,
      subjectOrgId: current.org_id,
      details: { removed },
    });
    if (removed) await removeInvitee(trx, current.id);
    else await dropOpenInvitations(trx, current.id);
    return { memberId: current.id, removed };
  });
}
