// Migration tests: a database opened without Tabella's own migrate-to-latest, brought to an older
// migration only, as an instance that has not run the newer ones yet.
import assert from 'node:assert/strict';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { migrations } from '../../src/db/migrations/index.ts';
import type { Database } from '../../src/db/schema.ts';
import type { Engine } from './databases.ts';

export function rawKysely(engine: Engine, url: string): Kysely<Database> {
  return new Kysely<Database>({
    dialect:
      engine === 'sqlite'
        ? new SqliteDialect({ database: new SqliteDatabase(url.slice('sqlite:'.length)) })
        : new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1 }) }),
  });
}

/** Brings a scratch database to migration `name` only, as an instance before this one ran it. */
export async function migrateTo(engine: Engine, db: Kysely<Database>, name: string): Promise<void> {
  const schema =
    engine === 'postgres'
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
      : undefined;
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => ({ ...migrations }) },
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  });
  const { error } = await migrator.migrateTo(name);
  assert.equal(error, undefined);
}
