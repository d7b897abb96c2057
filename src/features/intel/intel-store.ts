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

/** Owners and existing version keys of the given ids (unfiltered: for write decisions only). */
export async function unsafeExistingVersions(db: Executor, stixIds: readonly string[]) {
  if (stixIds.length === 0) return [];
  return db
    .selectFrom('intel_objects')
    .select(['stix_id', 'version_key', 'owner_org_id'])
    .where('stix_id', 'in', [...stixIds])
    .execute();
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
