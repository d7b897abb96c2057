import type { Selectable } from 'kysely';
import type { TaxiiStatusesTable } from '../../db/schema.ts';
import type { Executor } from '../context.ts';

export type StatusRow = Selectable<TaxiiStatusesTable>;

export async function insertStatus(db: Executor, row: StatusRow): Promise<void> {
  await db.insertInto('taxii_statuses').values(row).execute();
}

export async function updateStatus(
  db: Executor,
  id: string,
  patch: Pick<
    StatusRow,
    | 'status'
    | 'updated_at'
    | 'success_count'
    | 'failure_count'
    | 'pending_count'
    | 'successes'
    | 'failures'
    | 'pendings'
  >,
): Promise<void> {
  await db.updateTable('taxii_statuses').set(patch).where('id', '=', id).execute();
}

/** A status of this organization's, or undefined — another organization's is as good as missing. */
export async function findStatus(db: Executor, id: string, orgId: string): Promise<StatusRow | undefined> {
  return db
    .selectFrom('taxii_statuses')
    .selectAll()
    .where('id', '=', id)
    .where('org_id', '=', orgId)
    .executeTakeFirst();
}
