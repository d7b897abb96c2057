import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { TabellaError } from '../core/errors.ts';
import { migrations } from './migrations/index.ts';
import type { Database } from './schema.ts';
import { ImmediateSqliteDialect } from './sqlite-dialect.ts';
import { WRITER_PRAGMAS } from './sqlite-pragmas.ts';
import { withStatementCache } from './sqlite-statements.ts';
import { ThreadedSqliteDialect } from './sqlite-threaded-dialect.ts';

export type Engine = 'sqlite' | 'postgres';

export interface Db {
  readonly kysely: Kysely<Database>;
  readonly engine: Engine;
  /**
   * SQLite with its writer thread: a read through `kysely` outside a transaction runs on the main
   * thread's reader while a transaction is open on the writer. While that transaction holds the
   * write lock (BEGIN IMMEDIATE) no other writer can commit, so the reader sees what it sees.
   */
  readonly readsBesideWriter?: boolean;
  close(): Promise<void>;
}

export interface OpenOptions {
  /**
   * Where SQLite's writes run: `thread` (the default, for the server) in a writer thread, so the
   * event loop keeps answering while SQLite writes and syncs (sqlite-threaded-dialect.ts);
   * `inline` on this thread (the CLI: one command at a time, and no thread to start).
   */
  readonly sqliteWriter?: 'thread' | 'inline';
}

/**
 * Opens the database named by `url` (`sqlite:<file>` or `postgres://…`) and brings its schema up
 * to date. SQLite runs in WAL mode and write transactions wait their turn for the write lock
 * (sqlite-dialect.ts), so the administrative CLI can write while the server runs.
 */
export async function openDatabase(url: string, options: OpenOptions = {}): Promise<Db> {
  let kysely: Kysely<Database>;
  let engine: Engine;
  let readsBesideWriter = false;
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length);
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    if ((options.sqliteWriter ?? 'thread') === 'thread' && file !== ':memory:') {
      kysely = new Kysely<Database>({ dialect: new ThreadedSqliteDialect(resolve(file)) });
      readsBesideWriter = true;
    } else {
      const sqlite = new SqliteDatabase(file);
      for (const pragma of WRITER_PRAGMAS) sqlite.pragma(pragma);
      kysely = new Kysely<Database>({
        dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }),
      });
    }
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
  return { kysely, engine, readsBesideWriter, close: () => kysely.destroy() };
}

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
  for (let attempt = 1; ; attempt++) {
    const { error } = await migrator.migrateToLatest();
    if (error === undefined) return;
    // Kysely looks for its bookkeeping tables among every schema's tables: a schema that someone
    // else drops meanwhile (another application's DDL, another test's cleanup) fails that look-up
    // with 3F000 although this schema is fine. Nothing was migrated then; try again.
    if (attempt < 5 && (error as { code?: unknown }).code === '3F000') continue;
    throw new TabellaError('SERVICE_UNAVAILABLE', 'database migration failed', { cause: error });
  }
}
