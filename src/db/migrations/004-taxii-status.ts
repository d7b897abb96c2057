import type { Kysely } from 'kysely';

// Issue 4: TAXII 2.1 status resources (§4.3.1) of "add objects" requests. Only the requesting
// organization may read one; the lists of successes, failures and pendings are JSON text.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('taxii_statuses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('collection_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('request_timestamp', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('total_count', 'integer', (c) => c.notNull())
    .addColumn('success_count', 'integer', (c) => c.notNull())
    .addColumn('failure_count', 'integer', (c) => c.notNull())
    .addColumn('pending_count', 'integer', (c) => c.notNull())
    .addColumn('successes', 'text', (c) => c.notNull())
    .addColumn('failures', 'text', (c) => c.notNull())
    .addColumn('pendings', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('taxii_statuses_org_idx')
    .on('taxii_statuses')
    .columns(['org_id', 'request_timestamp'])
    .execute();
}
