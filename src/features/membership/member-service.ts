import { isoTime } from '../../core/clock.ts';
import { forbidden, notFound, TabellaError } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { isUniqueViolation } from '../../db/unique-violation.ts';
import {
  type AccessTier,
  canManageMembersOf,
  canSeeMembersOf,
  type MemberRole,
  type MemberStatus,
} from '../../policy/index.ts';
import { recordAudit } from '../audit/record.ts';
import type { Executor, ServiceContext } from '../context.ts';
import { hasJoined, openInvitationOf, openInvitationsIn } from './invitation-store.ts';
import { getMember, getMemberByEmail, insertMember, listMembersOf, updateMember } from './member-store.ts';
import { getVisibleOrg } from './org-store.ts';
import { checkName, checkRoles, checkTier } from './validate.ts';
import { type Member, toMember } from './views.ts';

export interface NewMember {
  readonly orgId: string;
  readonly email: string;
  readonly displayName: string;
  readonly roles: readonly MemberRole[];
  readonly tier: AccessTier;
  readonly status: MemberStatus;
  readonly passwordHash: string | null;
}

/** Inserts a member after checking the e-mail is free. Callers own the transaction. */
export async function writeNewMember(
  db: Executor,
  now: number,
  m: NewMember,
  fieldPrefix = '',
): Promise<Member> {
  const fields = [`${fieldPrefix}email`];
  if ((await getMemberByEmail(db, m.email)) !== undefined) {
    throw new TabellaError('EMAIL_TAKEN', 'a member with this e-mail exists', { fields });
  }
  const at = isoTime(now);
  const row = {
    id: newId('mbr'),
    org_id: m.orgId,
    email: m.email,
    display_name: m.displayName,
    roles: JSON.stringify(m.roles),
    tier: m.tier,
    status: m.status,
    password_hash: m.passwordHash,
    mfa_secret: null,
    mfa_enabled: 0,
    mfa_last_step: 0,
    failed_logins: 0,
    locked_until: null,
    created_at: at,
    updated_at: at,
  };
  try {
    await insertMember(db, row);
  } catch (err) {
    // Two concurrent invitations of one address: the unique index decides.
    if (isUniqueViolation(err)) {
      throw new TabellaError('EMAIL_TAKEN', 'a member with this e-mail exists', { fields, cause: err });
    }
    throw err;
  }
  return toMember(row);
}

/** The organization whose roster the actor may see, or 404. */
export async function visibleRosterOrg(ctx: ServiceContext, orgId: string) {
  const org = await getVisibleOrg(ctx.db, ctx.actor, orgId);
  if (org === undefined || !canSeeMembersOf(ctx.actor, orgId)) throw notFound('organization');
  return org;
}

type OpenInvitation = { readonly created_at: string; readonly expires_at: string };

/** An invited member with their open invitation's dates: whether it expired, so an admin re-sends it. */
export function withInvitation(member: Member, open: OpenInvitation | undefined, now: number): Member {
  if (member.status !== 'invited' || open === undefined) return member;
  return {
    ...member,
    invitation: {
      createdAt: open.created_at,
      expiresAt: open.expires_at,
      expired: open.expires_at <= isoTime(now),
    },
  };
}

export async function listMembers(ctx: ServiceContext, orgId: string): Promise<Member[]> {
  await visibleRosterOrg(ctx, orgId);
  const rows = await listMembersOf(ctx.db, orgId);
  const open = await openInvitationsIn(ctx.db, orgId);
  const now = ctx.clock.now();
  return rows.map((r) => withInvitation(toMember(r), open.get(r.id), now));
}

export async function getMemberFor(ctx: ServiceContext, id: string): Promise<Member> {
  const row = await getMember(ctx.db, id);
  if (row === undefined || !canSeeMembersOf(ctx.actor, row.org_id)) throw notFound('member');
  const member = toMember(row);
  if (member.status !== 'invited' || (await hasJoined(ctx.db, row))) return member;
  return withInvitation(member, await openInvitationOf(ctx.db, id), ctx.clock.now());
}

export interface MemberPatch {
  readonly roles?: readonly string[] | undefined;
  readonly tier?: number | string | undefined;
  readonly status?: string | undefined;
  readonly displayName?: string | undefined;
}

async function joined(ctx: ServiceContext, id: string): Promise<boolean> {
  const row = await getMember(ctx.db, id);
  return row !== undefined && (await hasJoined(ctx.db, row));
}

export async function patchMember(ctx: ServiceContext, id: string, patch: MemberPatch): Promise<Member> {
  const current = await getMemberFor(ctx, id);
  if (!canManageMembersOf(ctx.actor, current.orgId))
    throw forbidden("only this organization's administrators change members");
  const self = ctx.actor.kind === 'member' && ctx.actor.memberId === id;
  if (self && (patch.roles !== undefined || patch.status !== undefined || patch.tier !== undefined)) {
    throw new TabellaError('SELF_ROLE_CHANGE', 'nobody changes their own roles, tier or status');
  }
  const roles = patch.roles === undefined ? undefined : checkRoles(patch.roles);
  const tier = patch.tier === undefined ? undefined : checkTier(patch.tier);
  const displayName =
    patch.displayName === undefined ? undefined : checkName(patch.displayName, 'displayName');
  let status: MemberStatus | undefined;
  if (patch.status !== undefined) {
    if (patch.status !== 'active' && patch.status !== 'suspended') {
      throw new TabellaError('VALIDATION_FAILED', 'status: must be active or suspended', {
        fields: ['status'],
      });
    }
    // An invitee becomes active by accepting the invitation, not by an admin's say-so: one who
    // never joined, reactivated after a suspension, is invited again.
    status =
      patch.status === 'active' && current.status !== 'active' && !(await joined(ctx, id))
        ? 'invited'
        : patch.status;
  }
  await ctx.db.transaction().execute(async (trx) => {
    await updateMember(trx, id, {
      ...(roles === undefined ? {} : { roles: JSON.stringify(roles) }),
      ...(tier === undefined ? {} : { tier }),
      ...(displayName === undefined ? {} : { display_name: displayName }),
      ...(status === undefined ? {} : { status }),
      updated_at: isoTime(ctx.clock.now()),
    });
    if (status === 'suspended') {
      // Suspension takes effect at once: no session of the member survives it.
      await trx.deleteFrom('sessions').where('member_id', '=', id).execute();
    }
    await recordAudit(trx, ctx, {
      action: 'member.update',
      subjectType: 'member',
      subjectId: id,
      details: {
        ...(roles === undefined ? {} : { roles }),
        ...(tier === undefined ? {} : { tier }),
        ...(status === undefined ? {} : { status }),
        ...(displayName === undefined ? {} : { displayName: true }),
      },
    });
  });
  // Read back, so that an invitee's answer carries their invitation as the roster shows it.
  return getMemberFor(ctx, id);
}
