import type { Insertable, Selectable, Updateable } from 'kysely';
import type { MembersTable } from '../../db/schema.ts';
import type { Executor } from '../context.ts';

type MemberRow = Selectable<MembersTable>;

/** Member queries. Access decisions are made by the services before calling these. */
export async function getMember(db: Executor, id: string): Promise<MemberRow | undefined> {
  return db.selectFrom('members').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function getMemberByEmail(db: Executor, email: string): Promise<MemberRow | undefined> {
  return db.selectFrom('members').selectAll().where('email', '=', email).executeTakeFirst();
}

export async function listMembersOf(db: Executor, orgId: string): Promise<MemberRow[]> {
  return db
    .selectFrom('members')
    .selectAll()
    .where('org_id', '=', orgId)
    .orderBy('display_name')
    .orderBy('id')
    .execute();
}

export async function insertMember(db: Executor, row: Insertable<MembersTable>): Promise<void> {
  await db.insertInto('members').values(row).execute();
}

export async function updateMember(db: Executor, id: string, patch: Updateable<MembersTable>): Promise<void> {
  await db.updateTable('members').set(patch).where('id', '=', id).execute();
}

/**
 * Whether the operator organization has an administrator: first-run setup is closed once it does.
 * Applicants' admins do not count, or anyone could close setup by applying to join.
 */
export async function operatorAdminExists(db: Executor): Promise<boolean> {
  const row = await db
    .selectFrom('members as m')
    .innerJoin('organizations as o', 'o.id', 'm.org_id')
    .select('m.id')
    .where('o.is_operator', '=', 1)
    .where('m.roles', 'like', '%"admin"%')
    .executeTakeFirst();
  return row !== undefined;
}
