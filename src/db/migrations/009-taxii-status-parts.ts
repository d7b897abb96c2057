import { type Kysely, sql } from 'kysely';

// Issue 10 §2: the status of an add-objects request (TAXII 2.1 §4.3.1) kept its successes,
// failures and pendings as three JSON lists on its row, re-serialized and rewritten whole after
// every chunk of objects — quadratic in the envelope. Each chunk now has a part of its own
// (`taxii_status_parts`: its counts and its three lists), written when the status opens and
// rewritten only when that chunk is done; the status row keeps the totals. A status written
// before becomes one part holding its lists as they were, so it reads the same.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('taxii_status_parts')
    // No foreign key: a status's parts are written before its row (status-store.ts), so a reader
    // finds a status only once all of it is there, without one transaction holding SQLite's lock.
    .addColumn('status_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('success_count', 'integer', (c) => c.notNull())
    .addColumn('failure_count', 'integer', (c) => c.notNull())
    .addColumn('pending_count', 'integer', (c) => c.notNull())
    .addColumn('successes', 'text', (c) => c.notNull())
    .addColumn('failures', 'text', (c) => c.notNull())
    .addColumn('pendings', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('taxii_status_parts_pk', ['status_id', 'seq'])
    .execute();
  await sql`
    insert into taxii_status_parts
      (status_id, seq, success_count, failure_count, pending_count, successes, failures, pendings)
    select id, 0, success_count, failure_count, pending_count, successes, failures, pendings
    from taxii_statuses
  `.execute(db);
  for (const column of ['successes', 'failures', 'pendings']) {
    await db.schema.alterTable('taxii_statuses').dropColumn(column).execute();
  }
}
