import { type Insertable, sql } from 'kysely';
import { engineOf } from '../../db/engine.ts';
import { insertMany, insertManyReturning } from '../../db/insert-many.ts';
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

/** PostgreSQL advisory lock key of intel writes ('TBLA', 'date'): one lock, every node. */
const DATE_ORDER_LOCK = [0x54424c41, 0x64617465] as const;

/**
 * Makes this transaction the only one writing intel until it commits, and returns the latest
 * `date_added` committed so far. New rows are dated after it, so `date_added` order is commit order
 * and a TAXII poller that resumes from the last `date_added` it saw never skips a row that a slower
 * transaction committed later (TAXII 2.1 §3.4.1; docs/taxii.md "Polling"). SQLite: the transaction
 * began with BEGIN IMMEDIATE (db/sqlite-dialect.ts), so it holds the write lock already; PostgreSQL:
 * an advisory transaction lock, held across nodes until commit — and released only once the commit
 * is visible, so the next writer's `max` includes it.
 */
export async function lockDateOrder(trx: Executor): Promise<string | null> {
  if (engineOf(trx) === 'postgres') {
    await sql`select pg_advisory_xact_lock(${DATE_ORDER_LOCK[0]}, ${DATE_ORDER_LOCK[1]})`.execute(trx);
  }
  // Relayed versions are dated in their group's collection too (manage-service.ts relayObject).
  const objects = await trx
    .selectFrom('intel_objects')
    .select((eb) => eb.fn.max('date_added').as('last'))
    .executeTakeFirst();
  const relayed = await trx
    .selectFrom('intel_relay_rows')
    .select((eb) => eb.fn.max('date_added').as('last'))
    .executeTakeFirst();
  const dates = [objects?.last, relayed?.last].filter((d): d is string => typeof d === 'string');
  // Stored dates have one fixed format: as text they sort in time order.
  return dates.sort().at(-1) ?? null;
}

/** The versions an organization already holds of the given ids (its own lineages only), with their start. */
export async function ownVersions(db: Executor, ownerOrgId: string, stixIds: readonly string[]) {
  if (stixIds.length === 0) return [];
  return db
    .selectFrom('intel_objects')
    .select(['stix_id', 'version_key', 'lineage_at'])
    .where('owner_org_id', '=', ownerOrgId)
    .where('stix_id', 'in', [...stixIds])
    .execute();
}

/**
 * Starts the organization's lineage of each id in `starts` (id → proposed start) and returns every
 * head's start time. A head is written once: a concurrent writer of the same organization waits on
 * its primary key and then reads the head the other wrote, so both agree.
 */
export async function startLineages(
  db: Executor,
  ownerOrgId: string,
  starts: ReadonlyMap<string, string>,
): Promise<Map<string, string>> {
  const heads = new Map<string, string>();
  if (starts.size === 0) return heads;
  const rows = [...starts].map(([stix_id, started_at]) => ({
    stix_id,
    owner_org_id: ownerOrgId,
    started_at,
  }));
  const written = await insertManyReturning(
    db,
    'intel_lineages',
    rows,
    500,
    'on conflict (stix_id, owner_org_id) do nothing returning stix_id, started_at',
  );
  for (const h of written) heads.set(h.stix_id as string, h.started_at as string);
  // Heads another transaction wrote first (rare: a race, or a lineage whose versions were all
  // purged): read them back.
  const missing = [...starts.keys()].filter((id) => !heads.has(id));
  for (let i = 0; i < missing.length; i += 1000) {
    const found = await db
      .selectFrom('intel_lineages')
      .select(['stix_id', 'started_at'])
      .where('owner_org_id', '=', ownerOrgId)
      .where('stix_id', 'in', missing.slice(i, i + 1000))
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
