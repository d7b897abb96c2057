import { setImmediate, setTimeout as sleep } from 'node:timers/promises';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
} from 'kysely';
import { TabellaError } from '../core/errors.ts';
import { isDatabaseBusy } from './busy.ts';

/**
 * How long a write waits for another process (the CLI beside the server, or the server beside the
 * CLI) to release SQLite's write lock before it fails with DATABASE_BUSY. Waiting happens between
 * event-loop turns, so the server keeps answering while it waits.
 */
export const SQLITE_BUSY_WAIT_MS = 120_000;

/**
 * SQLite's own busy handler sleeps inside the call, blocking Node's event loop; it is kept short
 * (SQLITE_BUSY_TIMEOUT_MS) so that a brief lock is absorbed there and a long one is waited for
 * asynchronously below.
 */
export { SQLITE_BUSY_TIMEOUT_MS } from './sqlite-pragmas.ts';

/**
 * better-sqlite3 answers synchronously, so a chain of awaited queries (a share: validation, inserts,
 * audit, commit) never gives the event loop a turn on its own: a large request would hold every
 * other one (issue 10 §2). Before a query, when SLICE_MS have passed since this process last gave
 * the loop a turn here, it gives one. The single connection stays held meanwhile, so this changes
 * no transaction's isolation; requests that need no database (/healthz) and I/O are served.
 */
const SLICE_MS = 8;
let lastTurn = performance.now();

export async function turnIfDue(): Promise<void> {
  const now = performance.now();
  if (now - lastTurn < SLICE_MS) return;
  await setImmediate();
  lastTurn = performance.now();
}

/**
 * Runs `attempt` until it does not fail with SQLITE_BUSY, sleeping with back-off between tries
 * (up to SQLITE_BUSY_WAIT_MS in all). Any other error is passed through unchanged.
 */
export async function whileBusy<T>(attempt: () => Promise<T>, waitMs: number): Promise<T> {
  const deadline = Date.now() + waitMs;
  for (let pause = 2; ; pause = Math.min(pause * 2, 100)) {
    try {
      return await attempt();
    } catch (err) {
      if (!isDatabaseBusy(err)) throw err;
      if (Date.now() >= deadline) {
        throw new TabellaError('DATABASE_BUSY', 'the database is busy with another writer; try again', {
          cause: err,
          headers: { 'retry-after': '5' },
        });
      }
      await sleep(pause);
    }
  }
}

/**
 * The connection, seen through the driver: outside a transaction a statement that finds the
 * database locked by another process is retried asynchronously (an autocommit write); inside one
 * the write lock is already held (BEGIN IMMEDIATE), so nothing there waits for another writer.
 */
class PatientConnection implements DatabaseConnection {
  inTransaction = false;
  readonly #inner: DatabaseConnection;
  readonly #waitMs: number;

  constructor(inner: DatabaseConnection, waitMs: number) {
    this.#inner = inner;
    this.#waitMs = waitMs;
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    await turnIfDue();
    if (this.inTransaction) return this.#inner.executeQuery<R>(query);
    return whileBusy(() => this.#inner.executeQuery<R>(query), this.#waitMs);
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.#inner.streamQuery<R>(query, chunkSize);
  }
}

/**
 * Write transactions take SQLite's write lock when they begin (`BEGIN IMMEDIATE`), not at their
 * first write: a deferred transaction that read first and then finds another process's commit
 * fails at once with SQLITE_BUSY ("database is locked") whatever the busy timeout, while an
 * immediate one simply waits its turn. Holding the lock from the start also means the rows a
 * transaction writes are stamped (date_added) in the order transactions commit.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  readonly #waitMs: number;
  #connection: PatientConnection | undefined;

  constructor(config: SqliteDialectConfig, waitMs: number) {
    super(config);
    this.#waitMs = waitMs;
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    const inner = await super.acquireConnection();
    this.#connection ??= new PatientConnection(inner, this.#waitMs);
    return this.#connection;
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const c = connection as PatientConnection;
    await c.executeQuery(CompiledQuery.raw('begin immediate')); // retried while busy: not yet in a transaction
    c.inTransaction = true;
  }

  override async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const c = connection as PatientConnection;
    await c.executeQuery(CompiledQuery.raw('commit'));
    c.inTransaction = false;
  }

  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const c = connection as PatientConnection;
    c.inTransaction = false;
    await c.executeQuery(CompiledQuery.raw('rollback'));
  }
}

/** Kysely's SQLite dialect with immediate write transactions and asynchronous busy waits. */
export class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  readonly #waitMs: number;

  constructor(config: SqliteDialectConfig, waitMs = SQLITE_BUSY_WAIT_MS) {
    super(config);
    this.#config = config;
    this.#waitMs = waitMs;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config, this.#waitMs);
  }
}
