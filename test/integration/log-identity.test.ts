// Issue 11 §6, in process: a log older than migration 014 (entries, no identity recorded) is
// claimed by the first node whose key signed its latest checkpoint, and refused to any other; two
// nodes starting at once on a fresh database record one identity, the other refuses and keeps no
// key it generated; a malformed TABELLA_LOG_KEY is bad configuration that never shows the key.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { ManualClock } from '../../src/core/clock.ts';
import { loadConfig } from '../../src/core/config.ts';
import { isTabellaError } from '../../src/core/errors.ts';
import { type Db, openDatabase } from '../../src/db/index.ts';
import { createOrg } from '../../src/features/membership/index.ts';
import { LOG_KEY_FILE } from '../../src/features/transparency/index.ts';
import { buildApp } from '../../src/server/app.ts';
import { generateNoteKey } from '../../src/tlog/index.ts';
import { unique } from '../support/arrange.ts';
import {
  describeEachEngine,
  type Engine,
  type ScratchDatabase,
  scratchDatabase,
} from '../support/databases.ts';

const clock = new ManualClock(Date.parse('2026-11-03T12:00:00.000Z'));

/** Builds a node (not listening) on `url` with its own data directory and environment. */
function node(
  db: Db,
  url: string,
  dataDir: string,
  env: Record<string, string> = {},
): Promise<FastifyInstance> {
  const config = loadConfig({ db: url, dataDir, port: 8080, host: '127.0.0.1' }, env);
  return buildApp({ config, db, clock, logger: false, logIntervalMs: 0 });
}

async function assertRefused(
  run: Promise<unknown>,
  code: string,
  fields?: readonly string[],
): Promise<Error> {
  let caught: unknown;
  await assert.rejects(run, (err: unknown) => {
    caught = err;
    assert.ok(isTabellaError(err), String(err));
    assert.equal(err.code, code, err.message);
    if (fields !== undefined) assert.deepEqual(err.fields, fields);
    return true;
  });
  return caught as Error;
}

describeEachEngine('log identity of an existing database', (engine: Engine) => {
  let scratch: ScratchDatabase;
  let db: Db;
  const dirs: string[] = [];
  const dir = () => {
    const d = mkdtempSync(join(tmpdir(), 'tabella-node-'));
    dirs.push(d);
    return d;
  };
  const identity = () => db.kysely.selectFrom('log_identity').selectAll().execute();

  before(async () => {
    scratch = await scratchDatabase(engine);
    db = await openDatabase(scratch.url);
  });
  after(async () => {
    await db?.close();
    await scratch?.cleanup();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('a log with entries and no recorded key is claimed by the key that signed it, and refused to another', async () => {
    const first = await node(db, scratch.url, scratch.dataDir);
    const ctx = {
      db: db.kysely,
      clock,
      config: loadConfig({ db: scratch.url, dataDir: scratch.dataDir }, {}),
    };
    await createOrg(
      { ...ctx, actor: { kind: 'cli' } },
      {
        name: unique('Wake County'),
        kind: 'government',
        role: 'election-office',
        jurisdiction: 'US-NC',
        status: 'vetted',
      },
    );
    assert.ok((await first.tabellaLog.flush()) > 0);
    const vkey = first.tabellaLog.verifierKey;
    await first.close();
    // As before migration 014: the log has entries and checkpoints, and no identity.
    await db.kysely.deleteFrom('log_identity').execute();

    const stranger = dir();
    writeFileSync(join(stranger, LOG_KEY_FILE), `${generateNoteKey('tabella.localhost').signerKey}\n`);
    await assertRefused(node(db, scratch.url, stranger), 'LOG_KEY_MISMATCH');
    assert.deepEqual(await identity(), [], 'a refused node records nothing');

    const again = await node(db, scratch.url, scratch.dataDir);
    await again.close();
    assert.deepEqual(
      (await identity()).map((r) => [r.origin, r.vkey]),
      [['tabella.localhost', vkey]],
    );
    // From now on the recorded key decides, for a key file as for TABELLA_LOG_KEY.
    const key = readFileSync(join(scratch.dataDir, LOG_KEY_FILE), 'utf8');
    await (await node(db, scratch.url, dir(), { TABELLA_LOG_KEY: key })).close();
    await assertRefused(node(db, scratch.url, stranger), 'LOG_KEY_MISMATCH');
  });

  it('two nodes starting at once on a fresh database: one identity, the other refuses and keeps no key', async () => {
    const fresh = await scratchDatabase(engine);
    const freshDb = await openDatabase(fresh.url);
    const other = await openDatabase(fresh.url);
    try {
      const [a, b] = [dir(), dir()];
      const results = await Promise.allSettled([node(freshDb, fresh.url, a), node(other, fresh.url, b)]);
      const started = results.filter((r) => r.status === 'fulfilled');
      const refused = results.filter((r) => r.status === 'rejected');
      assert.equal(started.length, 1);
      assert.equal(refused.length, 1);
      for (const r of refused) {
        assert.ok(isTabellaError(r.reason));
        // MISMATCH when both generated a key and the other recorded first; MISSING when this one
        // read the database after the other had recorded (then it generates nothing).
        assert.ok(['LOG_KEY_MISMATCH', 'LOG_KEY_MISSING'].includes(r.reason.code), r.reason.message);
      }
      const rows = await freshDb.kysely.selectFrom('log_identity').selectAll().execute();
      assert.equal(rows.length, 1);
      for (const [i, r] of results.entries()) {
        const keyFile = join(i === 0 ? a : b, LOG_KEY_FILE);
        if (r.status === 'fulfilled') {
          assert.equal(r.value.tabellaLog.verifierKey, rows[0]?.vkey);
          await r.value.close();
        } else {
          assert.equal(existsSync(keyFile), false, 'the refused node removed the key it generated');
        }
      }
    } finally {
      await other.close();
      await freshDb.close();
      await fresh.cleanup();
    }
  });

  it('a malformed TABELLA_LOG_KEY is VALIDATION_FAILED and the message never shows it', async () => {
    const bad = 'PRIVATE+KEY+tabella.localhost+00000000+c2VjcmV0LXNlZWQ=';
    const err = await assertRefused(
      node(db, scratch.url, dir(), { TABELLA_LOG_KEY: bad }),
      'VALIDATION_FAILED',
      ['TABELLA_LOG_KEY'],
    );
    assert.ok(!err.message.includes('c2VjcmV0'));
    assert.throws(
      () => loadConfig({ dataDir: dir() }, { TABELLA_LOG_KEY: bad, TABELLA_LOG_KEY_FILE: '/x' }),
      (e: unknown) => isTabellaError(e) && e.code === 'VALIDATION_FAILED',
    );
  });
});
