import type { Kysely } from 'kysely';

// Issue 4: shared intelligence. One row per object version; the STIX JSON is kept as sent.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('intel_objects')
    .addColumn('row_id', 'text', (c) => c.primaryKey())
    .addColumn('stix_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('spec_version', 'text', (c) => c.notNull())
    .addColumn('created', 'text')
    .addColumn('modified', 'text')
    // `modified` normalized to microsecond precision, so versions sort and compare as text.
    .addColumn('version_key', 'text', (c) => c.notNull())
    .addColumn('owner_org_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('date_added', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('tlp', 'text', (c) => c.notNull())
    .addColumn('distribution', 'text', (c) => c.notNull())
    .addColumn('group_id', 'text')
    .addColumn('revoked', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('deleted_at', 'text')
    .addColumn('search', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('intel_version_uq')
    .on('intel_objects')
    .columns(['stix_id', 'version_key'])
    .unique()
    .execute();
  await db.schema
    .createIndex('intel_added_idx')
    .on('intel_objects')
    .columns(['date_added', 'row_id'])
    .execute();
  await db.schema
    .createIndex('intel_owner_idx')
    .on('intel_objects')
    .columns(['owner_org_id', 'date_added'])
    .execute();
  await db.schema.createIndex('intel_type_idx').on('intel_objects').columns(['type', 'date_added']).execute();

  await db.schema
    .createTable('intel_recipients')
    .addColumn('row_id', 'text', (c) => c.notNull().references('intel_objects.row_id'))
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('intel_recipients_pk', ['row_id', 'org_id'])
    .execute();
  await db.schema
    .createIndex('intel_recipients_org_idx')
    .on('intel_recipients')
    .columns(['org_id', 'row_id'])
    .execute();

  await db.schema
    .createTable('sharing_groups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('owner_org_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('sharing_group_members')
    .addColumn('group_id', 'text', (c) => c.notNull().references('sharing_groups.id'))
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addPrimaryKeyConstraint('sharing_group_members_pk', ['group_id', 'org_id'])
    .execute();
  await db.schema
    .createIndex('sharing_group_members_org_idx')
    .on('sharing_group_members')
    .columns(['org_id', 'group_id'])
    .execute();

  // A recipient's relay of an object into one of its groups (adds it to that group's collection).
  await db.schema
    .createTable('intel_relays')
    .addColumn('stix_id', 'text', (c) => c.notNull())
    .addColumn('group_id', 'text', (c) => c.notNull().references('sharing_groups.id'))
    .addColumn('relayer_org_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('intel_relays_pk', ['stix_id', 'group_id'])
    .execute();
}
