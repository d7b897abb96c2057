import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { TabellaError } from '../core/errors.ts';
import { migrations } from './migrations/index.ts';
import type { Database } from './schema.ts';

export type Engine = 'sqlite' | 'postgres';

export interface Db {
  readonly kysely: Kysely<Database>;
  readonly engine: Engine;
  close(): Promise<void>;
}

/**
 * Opens the database named by `url` (`sqlite:<file>` or `postgres://…`) and brings its schema up
 * to date. SQLite runs in WAL mode with a busy timeout, so the administrative CLI can write while
 * the server runs.
 */
export async function openDatabase(url: string): Promise<Db> {
  let kysely: Kysely<Database>;
  let engine: Engine;
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length);
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    const sqlite = new SqliteDatabase(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('synchronous = NORMAL');
    kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
    engine = 'sqlite';
  } else if (/^postgres(ql)?:\/\//.test(url)) {
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    engine = 'postgres';
  } else {
    throw new TabellaError('VALIDATION_FAILED', 'unsupported database URL', { fields: ['db'] });
  }
  await migrate(kysely);
  return { kysely, engine, close: () => kysely.destroy() };
}

async function migrate(kysely: Kysely<Database>): Promise<void> {
  const migrator = new Migrator({
    db: kysely,
    provider: { getMigrations: async () => ({ ...migrations }) },
  });
  const { error } = await migrator.migrateToLatest();
  if (error !== undefined) {
    throw new TabellaError('SERVICE_UNAVAILABLE', 'database migration failed', { cause: error });
  }
}
