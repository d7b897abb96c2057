import type { Kysely } from 'kysely';

// Issue 10 §3: a relay adds an object to a sharing group's collection, so in that collection its
// versions are dated when they were relayed, in commit order like every `date_added`: a TAXII
// client polling the group with `added_after` from the last date it saw then finds relayed objects
// too. One row per (version, group) relayed; versions added after the relay, and relays made before
// this migration, keep their own `date_added`.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('intel_relay_rows')
    .addColumn('row_id', 'text', (c) => c.notNull())
    .addColumn('group_id', 'text', (c) => c.notNull().references('sharing_groups.id'))
    .addColumn('date_added', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('intel_relay_rows_pk', ['row_id', 'group_id'])
    .execute();
}
