import { isoTime } from '../../core/clock.ts';
import { forbidden, notFound, TabellaError } from '../../core/errors.ts';
import { newId, randomSecret } from '../../core/ids.ts';
import { sha256Hex } from '../../core/secrets.ts';
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
import { insertInvitation } from './credential-store.ts';
import { getMember, getMemberByEmail, insertMember, listMembersOf, updateMember } from './member-store.ts';
import { getVisibleOrg } from './org-store.ts';
import { checkEmail, checkName, checkRoles, checkTier } from './validate.ts';
import { type Member, toMember } from './views.ts';

const INVITATION_TTL_MS = 7 * 24 * 3600 * 1000;

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

async function visibleRosterOrg(ctx: ServiceContext, orgId: string) {
  const org = await getVisibleOrg(ctx.db, ctx.actor, orgId);
  if (org === undefined || !canSeeMembersOf(ctx.actor, orgId)) throw notFound('organization');
  return org;
}

export async function listMembers(ctx: ServiceContext, orgId: string): Promise<Member[]> {
  await visibleRosterOrg(ctx, orgId);
  return (await listMembersOf(ctx.db, orgId)).map(toMember);
}

export async function getMemberFor(ctx: ServiceContext, id: string): Promise<Member> {
  const row = await getMember(ctx.db, id);
  if (row === undefined || !canSeeMembersOf(ctx.actor, row.org_id)) throw notFound('member');
  return toMember(row);
}

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

/** An organization's admins invite members; the link is returned once and stored only as a digest. */
export async function inviteMember(
  ctx: ServiceContext,
  orgId: string,
  input: InviteInput,
): Promise<Invitation> {
  await visibleRosterOrg(ctx, orgId);
  if (!canManageMembersOf(ctx.actor, orgId))
    throw forbidden("only this organization's administrators invite members");
  const email = checkEmail(input.email);
  const displayName = checkName(input.displayName ?? email.split('@')[0], 'displayName');
  const roles = checkRoles(input.roles);
  const tier = input.tier === undefined ? 1 : checkTier(input.tier);
  const secret = randomSecret();
  const now = ctx.clock.now();
  const member = await ctx.db.transaction().execute(async (trx) => {
    const m = await writeNewMember(trx, now, {
      orgId,
      email,
      displayName,
      roles,
      tier,
      status: 'invited',
      passwordHash: null,
    });
    await insertInvitation(trx, {
      id: newId('inv'),
      member_id: m.id,
      token_hash: sha256Hex(secret),
      created_at: isoTime(now),
      expires_at: isoTime(now + INVITATION_TTL_MS),
      used_at: null,
    });
    await recordAudit(trx, ctx, {
      action: 'member.invite',
      subjectType: 'member',
      subjectId: m.id,
      details: { orgId, roles, tier },
    });
    return m;
  });
  return { member, invitationUrl: `${ctx.config.publicUrl}/invite/${secret}` };
}

export interface MemberPatch {
  readonly roles?: readonly string[] | undefined;
  readonly tier?: number | string | undefined;
  readonly status?: string | undefined;
  readonly displayName?: string | undefined;
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
    // An invited member becomes active by accepting the invitation, not by an admin's say-so.
    status = patch.status === 'active' && current.status === 'invited' ? 'invited' : patch.status;
  }
  return ctx.db.transaction().execute(async (trx) => {
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
    return {
      ...current,
      ...(roles === undefined ? {} : { roles: [...roles] }),
      ...(tier === undefined ? {} : { tier }),
      ...(displayName === undefined ? {} : { displayName }),
      ...(status === undefined ? {} : { status }),
    };
  });
}
