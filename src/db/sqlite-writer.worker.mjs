// The SQLite writer thread of a Tabella server (sqlite-writer.ts starts it). It owns the one
// connection that writes: better-sqlite3 answers synchronously, and a commit (the WAL frames of a
// share, their fsync, now and then a checkpoint) took up to 100 ms, during which the server's event
// loop answered nothing (issue 10 §2). Here that time passes on this thread instead.
//
// Plain JavaScript, not TypeScript: the thread starts without the tsx loader, in ~10 ms.
// Messages in: { id, sql, params } or { id, close: true }. Out: { id, rows } | { id, changes,
// lastInsertRowid } | { id, error: { name, message, code } }.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const STATEMENT_CACHE_SIZE = 1000;

let db;
try {
  db = new Database(workerData.file);
  for (const pragma of workerData.pragmas) db.pragma(pragma);
  parentPort.postMessage({ ready: true });
} catch (err) {
  parentPort.postMessage({ ready: false, error: describe(err) });
}

const cache = new Map();
function prepared(sql) {
  let stmt = cache.get(sql);
  if (stmt === undefined) {
    stmt = db.prepare(sql);
    if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value);
    cache.set(sql, stmt);
  }
  return stmt;
}

// Buffers arrive as plain Uint8Arrays (structured clone); better-sqlite3 binds Buffers.
const bindable = (v) =>
  v instanceof Uint8Array && !Buffer.isBuffer(v) ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : v;

function describe(err) {
  return { name: err?.name ?? 'Error', message: String(err?.message ?? err), code: err?.code };
}

function execute(sql, params) {
  // SQLite rolls a transaction back by itself on some errors (SQLITE_FULL, SQLITE_IOERR, …); the
  // driver's rollback would then fail with "cannot rollback - no transaction is active" and hide
  // the real error (issue 10 §5): there is nothing left to roll back.
  if (sql === 'rollback' && !db.inTransaction) return { changes: 0 };
  const stmt = prepared(sql);
  const values = params.map(bindable);
  // Rows go back as arrays of values with the column names once: structured clone of 5,000 objects
  // repeats every key 5,000 times, and the sequencer's batch read took a third longer that way.
  if (stmt.reader) {
    const columns = stmt.columns().map((c) => c.name);
    const rows = stmt.raw(true).all(values);
    stmt.raw(false);
    return { columns, rows };
  }
  const { changes, lastInsertRowid } = stmt.run(values);
  return { changes, lastInsertRowid };
}

parentPort.on('message', (m) => {
  if (m.close === true) {
    try {
      db?.close();
      parentPort.postMessage({ id: m.id, changes: 0 });
    } catch (err) {
      parentPort.postMessage({ id: m.id, error: describe(err) });
    }
    parentPort.close();
    return;
  }
  try {
    parentPort.postMessage({ id: m.id, ...execute(m.sql, m.params) });
  } catch (err) {
    parentPort.postMessage({ id: m.id, error: describe(err) });
  }
});
