import SqliteDatabase from 'better-sqlite3';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  SelectQueryNode,
  SqliteDialect,
  type SqliteDatabase as SqliteDialectDatabase,
} from 'kysely';
import { SQLITE_BUSY_WAIT_MS, turnIfDue, whileBusy } from './sqlite-dialect.ts';
import { READER_PRAGMAS, WRITER_PRAGMAS } from './sqlite-pragmas.ts';
import { withStatementCache } from './sqlite-statements.ts';
import { SqliteWriterThread } from './sqlite-writer.ts';

/** A first-come, first-served lock: one write transaction (or autocommit write) at a time. */
class WriteLock {
  #tail: Promise<void> = Promise.resolve();

  async acquire(): Promise<() => void> {
    let release = (): void => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    const before = this.#tail;
    this.#tail = before.then(() => held);
    await before;
    return release;
  }
}

/** Plain SELECTs are answered by the reader in this thread; every other statement writes. */
function isRead(query: CompiledQuery): boolean {
  return SelectQueryNode.is(query.query) || /^\s*select\b/i.test(query.sql);
}

/**
 * The server's SQLite connections (issue 10 §2): writes, and every statement of a transaction, run
 * on the writer connection in a thread of its own (sqlite-writer.ts), one transaction at a time
 * (BEGIN IMMEDIATE, waiting asynchronously for another process's lock as sqlite-dialect.ts does);
 * plain SELECTs outside a transaction run on a read-only connection in this thread, which in WAL
 * mode sees every committed write and never waits for the writer. So a large share's commit
 * no longer holds every other request, and reads need no message round trip.
 */
class ThreadedConnection implements DatabaseConnection {
  /** The write lock's release while this connection's transaction is open. */
  release: (() => void) | undefined;
  readonly #driver: ThreadedSqliteDriver;

  constructor(driver: ThreadedSqliteDriver) {
    this.#driver = driver;
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const d = this.#driver;
    if (this.release !== undefined) return d.writer.execute<R>(query.sql, query.parameters);
    if (isRead(query)) {
      await turnIfDue();
      const stmt = d.reader.prepare(query.sql);
      return { rows: stmt.all(query.parameters) as R[] };
    }
    const release = await d.lock.acquire();
    try {
      return await whileBusy(() => d.writer.execute<R>(query.sql, query.parameters), d.waitMs);
    } finally {
      release();
    }
  }

  // biome-ignore lint/correctness/useYield: streaming is not offered on SQLite; nothing uses it
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming queries are not supported on SQLite');
  }
}

class ThreadedSqliteDriver implements Driver {
  readonly #file: string;
  readonly waitMs: number;
  readonly lock = new WriteLock();
  #writer: SqliteWriterThread | undefined;
  #reader: SqliteDialectDatabase | undefined;

  constructor(file: string, waitMs: number) {
    this.#file = file;
    this.waitMs = waitMs;
  }

  get writer(): SqliteWriterThread {
    if (this.#writer === undefined) throw new Error('the SQLite driver is not initialized');
    return this.#writer;
  }

  get reader(): SqliteDialectDatabase {
    if (this.#reader === undefined) throw new Error('the SQLite driver is not initialized');
    return this.#reader;
  }

  async init(): Promise<void> {
    // The writer creates the file and puts it in WAL mode before the reader opens it.
    this.#writer = await SqliteWriterThread.start(this.#file, WRITER_PRAGMAS);
    const reader = new SqliteDatabase(this.#file, { readonly: true });
    for (const pragma of READER_PRAGMAS) reader.pragma(pragma);
    this.#reader = withStatementCache(reader);
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return new ThreadedConnection(this);
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const release = await this.lock.acquire();
    try {
      await whileBusy(() => this.writer.execute('begin immediate', []), this.waitMs);
    } catch (err) {
      release();
      throw err;
    }
    (connection as ThreadedConnection).release = release;
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    // A failed commit is followed by Kysely's rollback, which releases the lock.
    await this.writer.execute('commit', []);
    this.#end(connection);
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await this.writer.execute('rollback', []);
    } finally {
      this.#end(connection);
    }
  }

  async releaseConnection(): Promise<void> {}

  async destroy(): Promise<void> {
    this.#reader?.close();
    await this.#writer?.close();
  }

  #end(connection: DatabaseConnection): void {
    const c = connection as ThreadedConnection;
    const release = c.release;
    c.release = undefined;
    release?.();
  }
}

/** Kysely's SQLite dialect with the writer in its own thread (see ThreadedConnection). */
export class ThreadedSqliteDialect extends SqliteDialect {
  readonly #file: string;
  readonly #waitMs: number;

  constructor(file: string, waitMs = SQLITE_BUSY_WAIT_MS) {
    // The base class's driver is never created; its adapter, compiler and introspector are used.
    super({ database: {} as SqliteDialectDatabase });
    this.#file = file;
    this.#waitMs = waitMs;
  }

  override createDriver(): Driver {
    return new ThreadedSqliteDriver(this.#file, this.#waitMs);
  }
}
