import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, type SqliteDatabase as SqliteDialectDatabase, sql } from 'kysely';
import pg from 'pg';
import { TabellaError } from '../core/errors.ts';
import { migrations } from './migrations/index.ts';
import type { Database } from './schema.ts';
import { ImmediateSqliteDialect, SQLITE_BUSY_TIMEOUT_MS } from './sqlite-dialect.ts';

export type Engine = 'sqlite' | 'postgres';

export interface Db {
  readonly kysely: Kysely<Database>;
  readonly engine: Engine;
  close(): Promise<void>;
}

/**
 * Opens the database named by `url` (`sqlite:<file>` or `postgres://…`) and brings its schema up
 * to date. SQLite runs in WAL mode and write transactions wait their turn for the write lock
 * (sqlite-dialect.ts), so the administrative CLI can write while the server runs.
 */
export async function openDatabase(url: string): Promise<Db> {
  let kysely: Kysely<Database>;
  let engine: Engine;
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length);
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    const sqlite = new SqliteDatabase(file);
    // 8 KiB pages (new databases only; SQLite ignores this for an existing file): an intel row is
    // ~1.5 KiB, and larger pages mean fewer page splits and WAL frames in bulk imports (+10%).
    sqlite.pragma('page_size = 8192');
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
    sqlite.pragma('foreign_keys = ON');
    // 64 MiB of page cache (the default is 2 MiB): indexes over random UUIDs stay in memory longer.
    sqlite.pragma('cache_size = -65536');
    // FULL: a commit is on disk before it is acknowledged (WAL + NORMAL may lose the last commits on power loss).
    sqlite.pragma('synchronous = FULL');
    // Checkpoint every ~80 MiB of WAL rather than every 8 MiB: a bulk import's index pages are then
    // copied into the database once per checkpoint instead of once per commit (+15% import rate).
    sqlite.pragma('wal_autocheckpoint = 10000');
    kysely = new Kysely<Database>({
      dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }),
    });
    engine = 'sqlite';
  } else if (/^postgres(ql)?:\/\//.test(url)) {
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    engine = 'postgres';
  } else {
    throw new TabellaError('VALIDATION_FAILED', 'unsupported database URL', { fields: ['db'] });
  }
  try {
    await migrate(kysely, engine);
  } catch (err) {
    await kysely.destroy();
    throw err;
  }
  return { kysely, engine, close: () => kysely.destroy() };
}

/**
 * Kysely prepares every query anew; better-sqlite3 statements are reusable, and preparing costs
 * more than running a point query. Caching them by SQL text (bounded) doubles throughput of hot
 * authenticated reads. Statements are only ever run synchronously, so sharing one is safe.
 */
function withStatementCache(sqlite: SqliteDatabase.Database): SqliteDialectDatabase {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => sqlite.close(),
    prepare: (sql: string) => {
      // SQLite rolls a transaction back by itself on some errors (SQLITE_FULL, SQLITE_IOERR, …);
      // Kysely's rollback would then fail with "cannot rollback - no transaction is active" and
      // hide the real error (issue 10 §5): there is nothing left to roll back, so skip it.
      if (sql === 'rollback' && !sqlite.inTransaction) return ALREADY_ROLLED_BACK;
      let stmt = cache.get(sql);
      if (stmt === undefined) {
        stmt = sqlite.prepare(sql);
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
        cache.set(sql, stmt);
      }
      return stmt;
    },
  };
}

const STATEMENT_CACHE_SIZE = 1000;

/** What Kysely runs as `rollback` once SQLite has rolled back already: nothing. */
const ALREADY_ROLLED_BACK: ReturnType<SqliteDialectDatabase['prepare']> = {
  reader: false,
  all: () => [],
  run: () => ({ changes: 0, lastInsertRowid: 0 }),
  iterate: () => [][Symbol.iterator](),
};

async function migrate(kysely: Kysely<Database>, engine: Engine): Promise<void> {
  // On PostgreSQL the migration bookkeeping lives in the connection's own schema: without this,
  // Kysely finds another schema's bookkeeping tables in the same database and trips over them.
  const schema =
    engine === 'postgres'
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(kysely)).rows[0]?.schema
      : undefined;
  const migrator = new Migrator({
    db: kysely,
    provider: { getMigrations: async () => ({ ...migrations }) },
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  });
  const { error } = await migrator.migrateToLatest();
  if (error !== undefined) {
    throw new TabellaError('SERVICE_UNAVAILABLE', 'database migration failed', { cause: error });
  }
}
