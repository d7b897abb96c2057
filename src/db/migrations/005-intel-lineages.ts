import { type Kysely, sql } from 'kysely';

// Issue 9 §2 and §4.
// - An object's versions belong to a lineage: (stix_id, owner organization). Two organizations may
//   hold the same id (a deterministic SCO id both saw; an SDO id one of them could not see), each in
//   its own lineage; a version is unique within its lineage, never across organizations. A
//   lineage's head (intel_lineages) records when it started, once, so that concurrent writers agree;
//   each version carries that time (`lineage_at`) and readers are presented one lineage per id: their
//   own, else the earliest they can see (docs/sharing.md "Ids and lineages").
// - A group share records its audience at share time (intel_recipients), so an organization added
//   to the group later does not read what was shared before — unless the sharer opted into future
//   members (`group_open`). Existing group shares keep their audience: today's members.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('intel_version_uq').execute();
  // Owner first: the latest-version probe of a lineage (owner =, id =, version >) then matches this
  // index on all three columns, so PostgreSQL never prefers intel_owner_idx (owner, date_added) for it
  // — which it did on tables not yet analyzed, scanning an organization's every row per result row.
  await db.schema
    .createIndex('intel_lineage_version_uq')
    .on('intel_objects')
    .columns(['owner_org_id', 'stix_id', 'version_key'])
    .unique()
    .execute();
  // Every lineage of an id (the presented-lineage probe, reads by id).
  await db.schema.createIndex('intel_stix_idx').on('intel_objects').columns(['stix_id']).execute();
  await db.schema
    .createTable('intel_lineages')
    .addColumn('stix_id', 'text', (c) => c.notNull())
    .addColumn('owner_org_id', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('intel_lineages_pk', ['stix_id', 'owner_org_id'])
    .execute();
  await sql`
    insert into intel_lineages (stix_id, owner_org_id, started_at)
    select stix_id, owner_org_id, min(date_added) from intel_objects group by stix_id, owner_org_id
  `.execute(db);
  await db.schema.alterTable('intel_objects').addColumn('lineage_at', 'text').execute();
  await sql`
    update intel_objects set lineage_at = (
      select l.started_at from intel_lineages l
       where l.stix_id = intel_objects.stix_id and l.owner_org_id = intel_objects.owner_org_id)
  `.execute(db);
  await db.schema
    .alterTable('intel_objects')
    .addColumn('group_open', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`
    insert into intel_recipients (row_id, org_id)
    select o.row_id, gm.org_id
      from intel_objects o
      join sharing_group_members gm on gm.group_id = o.group_id
     where o.distribution = 'group'
       and not exists (select 1 from intel_recipients r where r.row_id = o.row_id and r.org_id = gm.org_id)
  `.execute(db);
}
