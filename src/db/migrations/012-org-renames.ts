import type { Kysely } from 'kysely';

// Issue 11 §3: an admin's rename of a vetted organization waits for an operator admin's approval.
// One request per organization (a new one replaces it); the decision is an audit event, and the
// row goes when it is decided.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('org_rename_requests')
    .addColumn('org_id', 'text', (c) => c.primaryKey().references('organizations.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .execute();
}
