import { setImmediate } from 'node:timers/promises';
import type { Kysely, Selectable } from 'kysely';
import type { Database, TaxiiStatusesTable, TaxiiStatusPartsTable } from '../../db/schema.ts';
import type { Executor } from '../context.ts';

export type StatusRow = Selectable<TaxiiStatusesTable>;
export type StatusPartRow = Selectable<TaxiiStatusPartsTable>;

/** Parts per insert statement (and transaction): a part's lists are a few KiB to tens of KiB. */
const PARTS_PER_INSERT = 16;

/**
 * A new status: its parts first, a few per transaction with a yield between (one transaction of
 * megabytes would hold the event loop on SQLite), then its row — a reader finds the status only
 * once every part is there. Parts of a status whose row was never written are never read.
 */
export async function insertStatus(
  db: Kysely<Database>,
  row: StatusRow,
  parts: readonly StatusPartRow[],
): Promise<void> {
  for (let i = 0; i < parts.length; i += PARTS_PER_INSERT) {
    await db
      .insertInto('taxii_status_parts')
      .values(parts.slice(i, i + PARTS_PER_INSERT))
      .execute();
    await setImmediate();
  }
  await db.insertInto('taxii_statuses').values(row).execute();
}

export type PartPatch = Pick<
  StatusPartRow,
  'seq' | 'success_count' | 'failure_count' | 'pending_count' | 'successes' | 'failures' | 'pendings'
>;

/**
 * Records done parts and moves their counts to the status's totals, in one transaction: O(size of
 * the parts), whatever the size of the status.
 */
export async function completeParts(
  db: Kysely<Database>,
  statusId: string,
  patches: readonly PartPatch[],
  updatedAt: string,
): Promise<void> {
  let successes = 0;
  let failures = 0;
  let done = 0;
  for (const p of patches) {
    successes += p.success_count;
    failures += p.failure_count;
    done += p.success_count + p.failure_count;
  }
  await db.transaction().execute(async (trx) => {
    for (const { seq, ...patch } of patches) {
      await trx
        .updateTable('taxii_status_parts')
        .set(patch)
        .where('status_id', '=', statusId)
        .where('seq', '=', seq)
        .execute();
    }
    const row = await trx
      .updateTable('taxii_statuses')
      .set((eb) => ({
        updated_at: updatedAt,
        success_count: eb('success_count', '+', successes),
        failure_count: eb('failure_count', '+', failures),
        pending_count: eb('pending_count', '-', done),
      }))
      .where('id', '=', statusId)
      .returning('pending_count')
      .executeTakeFirstOrThrow();
    if (row.pending_count === 0) {
      await trx
        .updateTable('taxii_statuses')
        .set({ status: 'complete' })
        .where('id', '=', statusId)
        .execute();
    }
  });
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

/** A page of a status's parts in order, after part `afterSeq`. */
export async function statusParts(
  db: Executor,
  statusId: string,
  afterSeq: number,
  limit: number,
): Promise<StatusPartRow[]> {
  return db
    .selectFrom('taxii_status_parts')
    .selectAll()
    .where('status_id', '=', statusId)
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
}
