import { Worker } from 'node:worker_threads';
import SqliteDatabase from 'better-sqlite3';
import type { QueryResult } from 'kysely';
import { TabellaError } from '../core/errors.ts';

interface WorkerError {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
}

type Reply =
  | { readonly id: number; readonly columns: readonly string[]; readonly rows: unknown[][] }
  | { readonly id: number; readonly changes: number; readonly lastInsertRowid?: number | bigint }
  | { readonly id: number; readonly error: WorkerError };

type Pending = { resolve(r: Reply): void; reject(e: Error): void };

/**
 * The SQLite connection that writes, in a thread of its own (sqlite-writer.worker.mjs), so that
 * the server's event loop keeps answering while SQLite writes, syncs and checkpoints. Statements
 * are sent one message each and answered in order; callers serialize transactions themselves
 * (sqlite-threaded-dialect.ts).
 */
export class SqliteWriterThread {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #failed: Error | undefined;

  private constructor(worker: Worker) {
    this.#worker = worker;
    worker.on('message', (m: Reply) => {
      const p = this.#pending.get(m.id);
      this.#pending.delete(m.id);
      p?.resolve(m);
    });
    const fail = (err: Error) => {
      this.#failed = new TabellaError('SERVICE_UNAVAILABLE', 'the database writer stopped', { cause: err });
      for (const p of this.#pending.values()) p.reject(this.#failed);
      this.#pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`SQLite writer thread exited with code ${code}`)));
  }

  /** Starts the thread and opens `file` there with `pragmas`; rejects with the open's error. */
  static async start(file: string, pragmas: readonly string[]): Promise<SqliteWriterThread> {
    const worker = new Worker(new URL('./sqlite-writer.worker.mjs', import.meta.url), {
      workerData: { file, pragmas },
      execArgv: [], // no tsx loader: the worker is plain JavaScript
    });
    const first = await new Promise<{ ready: boolean; error?: WorkerError }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    if (!first.ready) {
      await worker.terminate();
      throw asSqliteError(first.error ?? { name: 'Error', message: 'the SQLite writer did not start' });
    }
    return new SqliteWriterThread(worker);
  }

  /** Runs one statement on the writer connection. */
  async execute<R>(sql: string, parameters: readonly unknown[]): Promise<QueryResult<R>> {
    const reply = await this.#send({ sql, params: parameters });
    if ('error' in reply) throw asSqliteError(reply.error);
    if ('rows' in reply) return { rows: reply.rows.map((values) => rowOf(reply.columns, values)) as R[] };
    return {
      numAffectedRows: BigInt(reply.changes),
      ...(reply.lastInsertRowid === undefined ? {} : { insertId: BigInt(reply.lastInsertRowid) }),
      rows: [],
    };
  }

  /** Closes the writer connection (SQLite checkpoints the WAL if it is the last) and the thread. */
  async close(): Promise<void> {
    if (this.#failed === undefined) {
      const reply = await this.#send({ close: true });
      if ('error' in reply) throw asSqliteError(reply.error);
    }
    await this.#worker.terminate();
  }

  #send(message: object): Promise<Reply> {
    if (this.#failed !== undefined) return Promise.reject(this.#failed);
    const id = this.#nextId++;
    return new Promise<Reply>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ id, ...message });
    });
  }
}

/** The error as better-sqlite3 would have thrown it in this thread: its code is what callers test. */
function asSqliteError(e: WorkerError): Error {
  if (e.name === 'SqliteError' && e.code !== undefined)
    return new SqliteDatabase.SqliteError(e.message, e.code);
  const err = new Error(e.message);
  err.name = e.name;
  return err;
}

/**
 * A row as better-sqlite3 gives it, from its values in column order. Blobs come back as plain
 * Uint8Arrays (structured clone); the rest of Tabella reads Buffers.
 */
function rowOf(columns: readonly string[], values: readonly unknown[]): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (let i = 0; i < columns.length; i++) {
    const v = values[i];
    row[columns[i] as string] =
      v instanceof Uint8Array && !Buffer.isBuffer(v) ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : v;
  }
  return row;
}
