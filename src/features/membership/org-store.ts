import type { Insertable, Selectable, Updateable } from 'kysely';
import type { OrganizationsTable, OrgRenameRequestsTable } from '../../db/schema.ts';
import { type Actor, isOperatorAdmin } from '../../policy/index.ts';
import type { Executor } from '../context.ts';

type OrgRow = Selectable<OrganizationsTable>;

/**
 * Organization queries. Every read takes the actor and applies the directory visibility rule in
 * SQL (policy/membership.ts `canSeeOrg` in query form), so lists never load what they then hide.
 */
function visible(db: Executor, actor: Actor) {
  const q = db.selectFrom('organizations').selectAll();
  if (actor.kind === 'cli' || isOperatorAdmin(actor)) return q;
  if (actor.kind === 'anonymous') return q.where('id', '=', '');
  if (actor.orgStatus !== 'vetted') return q.where('id', '=', actor.orgId);
  return q.where((eb) => eb.or([eb('id', '=', actor.orgId), eb('status', '=', 'vetted')]));
}

export async function listVisibleOrgs(
  db: Executor,
  actor: Actor,
  filter: { readonly status?: string | undefined; readonly renamePending?: boolean | undefined },
): Promise<OrgRow[]> {
  let q = visible(db, actor);
  if (filter.status !== undefined) q = q.where('status', '=', filter.status);
  if (filter.renamePending === true)
    q = q.where('id', 'in', (eb) => eb.selectFrom('org_rename_requests').select('org_id'));
  return q.orderBy('name').orderBy('id').execute();
}

export async function getVisibleOrg(db: Executor, actor: Actor, id: string): Promise<OrgRow | undefined> {
  return visible(db, actor).where('id', '=', id).executeTakeFirst();
}

/** Unfiltered read, for decisions about the actor's own organization and for authentication. */
export async function unsafeGetOrg(db: Executor, id: string): Promise<OrgRow | undefined> {
  return db.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function orgNameTaken(db: Executor, name: string, exceptId?: string): Promise<boolean> {
  let q = db.selectFrom('organizations').select('id').where('name', '=', name);
  if (exceptId !== undefined) q = q.where('id', '!=', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

export async function insertOrg(db: Executor, row: Insertable<OrganizationsTable>): Promise<void> {
  await db.insertInto('organizations').values(row).execute();
}

export async function updateOrg(
  db: Executor,
  id: string,
  patch: Updateable<OrganizationsTable>,
): Promise<void> {
  await db.updateTable('organizations').set(patch).where('id', '=', id).execute();
}

/** Every organization's name but one's, for the confusable-name check (a directory is small). */
export async function orgNamesExcept(
  db: Executor,
  exceptId?: string,
): Promise<{ readonly id: string; readonly name: string }[]> {
  let q = db.selectFrom('organizations').select(['id', 'name']);
  if (exceptId !== undefined) q = q.where('id', '!=', exceptId);
  return q.execute();
}

export type RenameRequestRow = Selectable<OrgRenameRequestsTable>;

export async function renameRequestsOf(db: Executor, orgIds: readonly string[]): Promise<RenameRequestRow[]> {
  if (orgIds.length === 0) return [];
  return db
    .selectFrom('org_rename_requests')
    .selectAll()
    .where('org_id', 'in', [...orgIds])
    .execute();
}

/** Records a rename request, replacing the organization's earlier one. */
export async function putRenameRequest(db: Executor, row: RenameRequestRow): Promise<void> {
  await db
    .insertInto('org_rename_requests')
    .values(row)
    .onConflict((oc) =>
      oc.column('org_id').doUpdateSet({
        name: row.name,
        requested_by: row.requested_by,
        requested_at: row.requested_at,
      }),
    )
    .execute();
}

/** Removes an organization's rename request; the row it removed, if there was one. */
export async function takeRenameRequest(db: Executor, orgId: string): Promise<RenameRequestRow | undefined> {
  return db.deleteFrom('org_rename_requests').where('org_id', '=', orgId).returningAll().executeTakeFirst();
}
