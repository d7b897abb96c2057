import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { isTabellaError } from '../core/errors.ts';
import { ImmediateSqliteDialect } from './sqlite-dialect.ts';

// Two connections to one file stand for two processes (the server and the CLI): SQLite's locks
// are per connection, so this is the real contention, not a simulation of it.
function open(file: string, waitMs?: number): Kysely<{ t: { n: number } }> {
  const db = new SqliteDatabase(file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 25');
  return new Kysely({ dialect: new ImmediateSqliteDialect({ database: db }, waitMs) });
}

describe('SQLite write transactions wait for another writer (issue 10 §6)', () => {
  let dir: string;
  let file: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tabella-sqlite-lock-'));
    file = join(dir, 'db.sqlite');
    const setup = open(file);
    await sql`create table t (n integer not null)`.execute(setup);
    await setup.destroy();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a read-then-write transaction started while another connection writes waits and commits', async () => {
    const a = open(file);
    const b = open(file);
    let release = (): void => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    let started = (): void => {};
    const holding = new Promise<void>((r) => {
      started = r;
    });
    const first = a.transaction().execute(async (trx) => {
      await trx.insertInto('t').values({ n: 1 }).execute();
      started();
      await held;
    });
    await holding;
    // A deferred transaction would read here, then fail with SQLITE_BUSY(_SNAPSHOT) at its write
    // once `a` commits; an immediate one waits at BEGIN and then sees `a`'s row.
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const second = b.transaction().execute(async (trx) => {
      const { c } = (await sql<{ c: number }>`select count(*) as c from t`.execute(trx)).rows[0] ?? { c: -1 };
      await trx
        .insertInto('t')
        .values({ n: c + 1 })
        .execute();
    });
    await new Promise((r) => setTimeout(r, 300));
    release();
    await Promise.all([first, second]);
    clearInterval(timer);
    // The event loop kept turning while `b` waited (a synchronous busy wait would give ~0 ticks).
    assert.ok(ticks >= 20, `event loop ticked ${ticks} times in 300 ms`);
    const rows = await b.selectFrom('t').select('n').orderBy('n').execute();
    assert.deepEqual(
      rows.map((r) => r.n),
      [1, 2],
    );
    await a.destroy();
    await b.destroy();
  });

  test('an autocommit write waits for another connection’s transaction', async () => {
    const a = open(file);
    const b = open(file);
    let release = (): void => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    const first = a.transaction().execute(async (trx) => {
      await trx.insertInto('t').values({ n: 10 }).execute();
      await held;
    });
    await new Promise((r) => setTimeout(r, 20));
    const second = b.insertInto('t').values({ n: 11 }).execute();
    setTimeout(release, 200);
    await Promise.all([first, second]);
    const n = await b.selectFrom('t').select('n').where('n', '>=', 10).execute();
    assert.equal(n.length, 2);
    await a.destroy();
    await b.destroy();
  });

  test('a writer that waits longer than its limit fails with DATABASE_BUSY and writes nothing', async () => {
    const a = open(file);
    const b = open(file, 150);
    let release = (): void => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    const first = a.transaction().execute(async (trx) => {
      await trx.insertInto('t').values({ n: 20 }).execute();
      await held;
    });
    await new Promise((r) => setTimeout(r, 20));
    await assert.rejects(
      b.transaction().execute((trx) => trx.insertInto('t').values({ n: 21 }).execute()),
      (err: unknown) => isTabellaError(err) && err.code === 'DATABASE_BUSY',
    );
    release();
    await first;
    const n = await b.selectFrom('t').select('n').where('n', '=', 21).execute();
    assert.equal(n.length, 0);
    await a.destroy();
    await b.destroy();
  });
});
