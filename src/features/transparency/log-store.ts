import { type Selectable, sql } from 'kysely';
import type { LogStateTable } from '../../db/schema.ts';
import type { TileData } from '../../tlog/index.ts';
import type { Executor } from '../context.ts';
import type { EventRow } from './entry.ts';

/** Storage of the transparency log: state, tiles, entry bundles, checkpoints. */
export async function getLogState(db: Executor): Promise<Selectable<LogStateTable> | undefined> {
  return db.selectFrom('log_state').selectAll().where('id', '=', 1).executeTakeFirst();
}

/** On PostgreSQL, takes the row lock that makes one sequencer at a time across API nodes. */
export async function lockLogState(
  db: Executor,
  engine: 'sqlite' | 'postgres',
): Promise<Selectable<LogStateTable> | undefined> {
  const q = db.selectFrom('log_state').selectAll().where('id', '=', 1);
  return (engine === 'postgres' ? q.forUpdate() : q).executeTakeFirst();
}

export async function insertInitialState(db: Executor, row: Selectable<LogStateTable>): Promise<void> {
  await db
    .insertInto('log_state')
    .values(row)
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

/** Moves the state forward only from the size the caller built on; false when someone else did. */
export async function advanceLogState(
  db: Executor,
  fromSize: number,
  next: { size: number; root: string; checkpoint: string; updated_at: string },
): Promise<boolean> {
  const r = await db
    .updateTable('log_state')
    .set(next)
    .where('id', '=', 1)
    .where('size', '=', fromSize)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function readTile(
  db: Executor,
  level: number,
  idx: number,
): Promise<{ width: number; data: Buffer } | undefined> {
  const row = await db
    .selectFrom('log_tiles')
    .select(['width', 'data'])
    .where('level', '=', level)
    .where('idx', '=', idx)
    .executeTakeFirst();
  return row === undefined ? undefined : { width: row.width, data: Buffer.from(row.data, 'base64') };
}

export async function readBundle(
  db: Executor,
  idx: number,
): Promise<{ width: number; data: Buffer } | undefined> {
  const row = await db
    .selectFrom('log_bundles')
    .select(['width', 'data'])
    .where('idx', '=', idx)
    .executeTakeFirst();
  return row === undefined ? undefined : { width: row.width, data: Buffer.from(row.data, 'base64') };
}

export async function upsertTiles(db: Executor, tiles: readonly TileData[]): Promise<void> {
  if (tiles.length === 0) return;
  await db
    .insertInto('log_tiles')
    .values(
      tiles.map((t) => ({
        level: t.tile.level,
        idx: t.tile.index,
        width: t.tile.width,
        data: Buffer.from(t.hashes).toString('base64'),
      })),
    )
    .onConflict((oc) =>
      oc
        .columns(['level', 'idx'])
        .doUpdateSet((eb) => ({ width: eb.ref('excluded.width'), data: eb.ref('excluded.data') })),
    )
    .execute();
}

export async function upsertBundles(
  db: Executor,
  bundles: readonly { idx: number; width: number; data: Uint8Array }[],
): Promise<void> {
  if (bundles.length === 0) return;
  await db
    .insertInto('log_bundles')
    .values(
      bundles.map((b) => ({ idx: b.idx, width: b.width, data: Buffer.from(b.data).toString('base64') })),
    )
    .onConflict((oc) =>
      oc
        .column('idx')
        .doUpdateSet((eb) => ({ width: eb.ref('excluded.width'), data: eb.ref('excluded.data') })),
    )
    .execute();
}

export async function insertCheckpoint(
  db: Executor,
  row: { size: number; root: string; note: string; created_at: string },
): Promise<void> {
  await db
    .insertInto('log_checkpoints')
    .values(row)
    .onConflict((oc) => oc.column('size').doNothing())
    .execute();
}

export async function getCheckpointAt(db: Executor, size: number) {
  return db.selectFrom('log_checkpoints').selectAll().where('size', '=', size).executeTakeFirst();
}

export type PendingEvent = EventRow;

/**
 * Events not yet in the log, in the order they were recorded; with `after`, only those recorded
 * after that event (a keyset page on the `(log_index, at, id)` index).
 */
export async function pendingEvents(
  db: Executor,
  limit: number,
  after?: { readonly at: string; readonly id: string },
): Promise<PendingEvent[]> {
  let query = db
    .selectFrom('audit_events')
    .select([
      'id',
      'at',
      'actor_type',
      'actor_id',
      'actor_org_id',
      'actor_org_kind',
      'actor_org_role',
      'action',
      'subject_type',
      'subject_id',
      'subject_org_id',
      'details',
    ])
    .where('log_index', 'is', null);
  if (after !== undefined)
    query = query.where((eb) => eb(eb.refTuple('at', 'id'), '>', eb.tuple(after.at, after.id)));
  return query.orderBy('at').orderBy('id').limit(limit).execute();
}

/**
 * Records each event's log index and salt in one statement for the whole batch: on PostgreSQL
 * three array parameters unnested side by side; on SQLite, which has no array parameters, one JSON
 * array of [id, index, salt] triples read with json_each (a statement per event would cost a
 * round trip each to the writer thread, db/sqlite-threaded-dialect.ts).
 */
export async function assignLogIndexes(
  db: Executor,
  engine: 'sqlite' | 'postgres',
  rows: readonly { id: string; index: number; salt: string }[],
): Promise<void> {
  if (rows.length === 0) return;
  if (engine === 'sqlite') {
    const triples = JSON.stringify(rows.map((r) => [r.id, r.index, r.salt]));
    await sql`update audit_events set log_index = v.idx, salt = v.salt
      from (select json_extract(value, '$[0]') as id, json_extract(value, '$[1]') as idx,
                   json_extract(value, '$[2]') as salt from json_each(${triples})) as v
      where audit_events.id = v.id`.execute(db);
    return;
  }
  // PostgreSQL: the whole batch in one statement, three array parameters unnested side by side.
  await sql`update audit_events as a set log_index = v.idx, salt = v.salt
    from unnest(${rows.map((r) => r.id)}::text[], ${rows.map((r) => r.index)}::integer[], ${rows.map((r) => r.salt)}::text[])
      as v(id, idx, salt)
    where a.id = v.id`.execute(db);
}
