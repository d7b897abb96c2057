import { isoTime } from '../../core/clock.ts';
import { TabellaError } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { recordAudit } from '../audit/record.ts';
import type { ServiceContext } from '../context.ts';

export interface SharingGroup {
  readonly id: string;
  readonly name: string;
  readonly ownerOrgId: string;
  readonly orgIds: string[];
  readonly createdAt: string;
}

function memberOrg(ctx: ServiceContext): { orgId: string; manager: boolean } {
  const a = ctx.actor;
  if (a.kind !== 'member') throw new TabellaError('UNAUTHENTICATED', 'sign in first');
  return {
    orgId: a.orgId,
    manager: a.orgStatus === 'vetted' && (a.roles.includes('admin') || a.roles.includes('analyst')),
  };
}

function checkGroupName(name: unknown): string {
  if (typeof name !== 'string' || name.trim() === '' || name.length > 200 || /\p{Cc}/u.test(name)) {
    throw new TabellaError('VALIDATION_FAILED', 'name: 1 to 200 characters', { fields: ['name'] });
  }
  return name.trim();
}

async function checkOrgs(ctx: ServiceContext, orgIds: readonly string[]): Promise<string[]> {
  const ids = [...new Set(orgIds)];
  if (ids.length === 0) return ids;
  const found = await ctx.db
    .selectFrom('organizations')
    .select('id')
    .where('id', 'in', ids)
    .where('status', '=', 'vetted')
    .execute();
  if (found.length !== ids.length) {
    throw new TabellaError('VALIDATION_FAILED', 'orgIds: every member must be a vetted organization', {
      fields: ['orgIds'],
    });
  }
  return ids;
}

async function load(ctx: ServiceContext, id: string): Promise<SharingGroup> {
  const { orgId } = memberOrg(ctx);
  const g = await ctx.db.selectFrom('sharing_groups').selectAll().where('id', '=', id).executeTakeFirst();
  if (g === undefined) throw new TabellaError('NOT_FOUND', 'sharing group not found');
  const members = await ctx.db
    .selectFrom('sharing_group_members')
    .select('org_id')
    .where('group_id', '=', id)
    .orderBy('org_id')
    .execute();
  const orgIds = members.map((m) => m.org_id);
  // Only the group's members (the owner is always one) may see it.
  if (!orgIds.includes(orgId)) throw new TabellaError('NOT_FOUND', 'sharing group not found');
  return { id: g.id, name: g.name, ownerOrgId: g.owner_org_id, orgIds, createdAt: g.created_at };
}

export async function listGroups(ctx: ServiceContext): Promise<SharingGroup[]> {
  const { orgId } = memberOrg(ctx);
  const groups = await ctx.db
    .selectFrom('sharing_groups as g')
    .innerJoin('sharing_group_members as m', 'm.group_id', 'g.id')
    .select(['g.id'])
    .where('m.org_id', '=', orgId)
    .orderBy('g.name')
    .execute();
  return Promise.all(groups.map((g) => load(ctx, g.id)));
}

export const getGroup = load;

export async function createGroup(
  ctx: ServiceContext,
  input: { name: string; orgIds: readonly string[] },
): Promise<SharingGroup> {
  const { orgId, manager } = memberOrg(ctx);
  if (!manager)
    throw new TabellaError('FORBIDDEN', 'admins and analysts of vetted organizations manage sharing groups');
  const name = checkGroupName(input.name);
  const orgIds = await checkOrgs(ctx, [orgId, ...input.orgIds]);
  const id = newId('grp');
  const at = isoTime(ctx.clock.now());
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('sharing_groups')
      .values({ id, name, owner_org_id: orgId, created_at: at, updated_at: at })
      .execute();
    await trx
      .insertInto('sharing_group_members')
      .values(orgIds.map((o) => ({ group_id: id, org_id: o })))
      .execute();
    await recordAudit(trx, ctx, {
      action: 'group.create',
      subjectType: 'group',
      subjectId: id,
      subjectOrgId: orgId,
      details: { orgIds },
    });
  });
  return { id, name, ownerOrgId: orgId, orgIds: [...orgIds].sort(), createdAt: at };
}

async function owned(ctx: ServiceContext, id: string): Promise<SharingGroup> {
  const g = await load(ctx, id);
  const { orgId, manager } = memberOrg(ctx);
  if (g.ownerOrgId !== orgId || !manager)
    throw new TabellaError('FORBIDDEN', "only the owner organization's admins and analysts change a group");
  return g;
}

export async function updateGroup(
  ctx: ServiceContext,
  id: string,
  patch: { name?: string | undefined; orgIds?: readonly string[] | undefined },
) {
  const g = await owned(ctx, id);
  const name = patch.name === undefined ? g.name : checkGroupName(patch.name);
  const orgIds =
    patch.orgIds === undefined ? g.orgIds : await checkOrgs(ctx, [g.ownerOrgId, ...patch.orgIds]);
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('sharing_groups')
      .set({ name, updated_at: isoTime(ctx.clock.now()) })
      .where('id', '=', id)
      .execute();
    if (patch.orgIds !== undefined) {
      await trx.deleteFrom('sharing_group_members').where('group_id', '=', id).execute();
      await trx
        .insertInto('sharing_group_members')
        .values(orgIds.map((o) => ({ group_id: id, org_id: o })))
        .execute();
    }
    await recordAudit(trx, ctx, {
      action: 'group.update',
      subjectType: 'group',
      subjectId: id,
      subjectOrgId: g.ownerOrgId,
      details: { name, orgIds },
    });
  });
  return { ...g, name, orgIds: [...orgIds].sort() };
}

export async function deleteGroup(ctx: ServiceContext, id: string): Promise<void> {
  const g = await owned(ctx, id);
  const used = await ctx.db
    .selectFrom('intel_objects')
    .select('row_id')
    .where('group_id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (used !== undefined)
    throw new TabellaError('CONFLICT', 'objects are shared with this group; delete or reshare them first');
  await ctx.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('intel_relay_rows').where('group_id', '=', id).execute();
    await trx.deleteFrom('intel_relays').where('group_id', '=', id).execute();
    await trx.deleteFrom('sharing_group_members').where('group_id', '=', id).execute();
    await trx.deleteFrom('sharing_groups').where('id', '=', id).execute();
    await recordAudit(trx, ctx, {
      action: 'group.delete',
      subjectType: 'group',
      subjectId: id,
      subjectOrgId: g.ownerOrgId,
    });
  });
}
