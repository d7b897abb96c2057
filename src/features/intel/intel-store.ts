import type { Insertable } from 'kysely';
import { insertMany } from '../../db/insert-many.ts';
import type { IntelObjectsTable } from '../../db/schema.ts';
import type { Executor } from '../context.ts';

/** Writes of shared intelligence. Reads go through query.ts, which applies the visibility rule. */
export async function insertVersions(
  db: Executor,
  rows: readonly Insertable<IntelObjectsTable>[],
  recipients: readonly { row_id: string; org_id: string }[],
): Promise<void> {
  await insertMany(db, 'intel_objects', rows);
  await insertMany(db, 'intel_recipients', recipients, 500);
}

/** The version keys an organization already holds of the given ids: its own lineages only. */
export async function ownVersions(db: Executor, ownerOrgId: string, stixIds: readonly string[]) {
  if (stixIds.length === 0) return [];
  return db
    .selectFrom('intel_objects')
    .select(['stix_id', 'version_key'])
    .where('owner_org_id', '=', ownerOrgId)
    .where('stix_id', 'in', [...stixIds])
    .execute();
}

/**
 * Starts the organization's lineage of each id that has none (the head is written once: concurrent
 * writers of the same organization wait on its primary key and then read the same head) and
 * returns every head's start time.
 */
export async function startLineages(
  db: Executor,
  ownerOrgId: string,
  starts: ReadonlyMap<string, string>,
): Promise<Map<string, string>> {
  if (starts.size === 0) return new Map();
  const rows = [...starts].map(([stix_id, started_at]) => ({ stix_id, owner_org_id: ownerOrgId, started_at }));
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('intel_lineages')
      .values(rows.slice(i, i + 500))
      .onConflict((oc) => oc.columns(['stix_id', 'owner_org_id']).doNothing())
      .execute();
  }
  const heads = new Map<string, string>();
  const ids = [...starts.keys()];
  for (let i = 0; i < ids.length; i += 1000) {
    const found = await db
      .selectFrom('intel_lineages')
      .select(['stix_id', 'started_at'])
      .where('owner_org_id', '=', ownerOrgId)
      .where('stix_id', 'in', ids.slice(i, i + 1000))
      .execute();
    for (const h of found) heads.set(h.stix_id, h.started_at);
  }
  return heads;
}

/** The organizations in a sharing group now. */
export async function groupMembers(db: Executor, groupId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('sharing_group_members')
    .select('org_id')
    .where('group_id', '=', groupId)
    .execute();
  return rows.map((r) => r.org_id);
}

export async function markDeleted(
  db: Executor,
  ownerOrgId: string,
  stixId: string,
  versionKey: string | undefined,
  at: string,
) {
  let q = db
    .updateTable('intel_objects')
    .set({ deleted_at: at })
    .where('stix_id', '=', stixId)
    .where('owner_org_id', '=', ownerOrgId)
    .where('deleted_at', 'is', null);
  if (versionKey !== undefined) q = q.where('version_key', '=', versionKey);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}
