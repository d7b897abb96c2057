import type { Insertable, Selectable } from 'kysely';
import type { MembersTable, OrganizationsTable, ResetLinksTable } from '../../db/schema.ts';
import type { Executor } from '../context.ts';

/** Reset links, looked up by the SHA-256 of their secret; the secret itself is never stored. */

export async function insertResetLink(db: Executor, row: Insertable<ResetLinksTable>): Promise<void> {
  await db.insertInto('reset_links').values(row).execute();
}

/** Ends every unused link of a member (a newer one replaces them); returns how many. */
export async function revokeLiveResetLinks(db: Executor, memberId: string, at: string): Promise<number> {
  const r = await db
    .updateTable('reset_links')
    .set({ revoked_at: at })
    .where('member_id', '=', memberId)
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export interface FoundResetLink {
  readonly link: Selectable<ResetLinksTable>;
  readonly member: Selectable<MembersTable>;
  readonly org: Selectable<OrganizationsTable>;
}

export async function findResetLink(db: Executor, tokenHash: string): Promise<FoundResetLink | undefined> {
  const link = await db
    .selectFrom('reset_links')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (link === undefined) return undefined;
  const member = await db
    .selectFrom('members')
    .selectAll()
    .where('id', '=', link.member_id)
    .executeTakeFirst();
  if (member === undefined) return undefined;
  const org = await db
    .selectFrom('organizations')
    .selectAll()
    .where('id', '=', member.org_id)
    .executeTakeFirst();
  return org === undefined ? undefined : { link, member, org };
}

/**
 * Spends a link by compare-and-set: only while it is unused, not replaced and not expired, so of
 * parallel uses exactly one goes on. Returns whether this call spent it.
 */
export async function spendResetLink(db: Executor, id: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('reset_links')
    .set({ used_at: at })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', at)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
