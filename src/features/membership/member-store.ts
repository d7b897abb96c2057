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
 * Spends TOTP step `step` of a member, with `patch`, by compare-and-set: of any number of
 * requests presenting the same code (or codes of earlier steps), only the first succeeds — a code
 * is accepted once (RFC 6238 §5.2). `expect` adds conditions the row must still meet. Returns
 * whether this call spent it.
 */
export async function spendTotpStep(
  db: Executor,
  id: string,
  step: number,
  patch: Updateable<MembersTable> = {},
  expect: { readonly mfaEnabled?: number; readonly mfaSecret?: string } = {},
): Promise<boolean> {
  let q = db
    .updateTable('members')
    .set({ ...patch, mfa_last_step: step })
    .where('id', '=', id)
    .where('mfa_last_step', '<', step);
  if (expect.mfaEnabled !== undefined) q = q.where('mfa_enabled', '=', expect.mfaEnabled);
  if (expect.mfaSecret !== undefined) q = q.where('mfa_secret', '=', expect.mfaSecret);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
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
