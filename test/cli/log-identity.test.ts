// Issue 11 §6: one log identity per database. Two `tabella serve` nodes with their own data
// directories on one database: the second refuses to start unless it holds the first one's key
// (copied file, TABELLA_LOG_KEY or TABELLA_LOG_KEY_FILE) and answers to the same origin; with it,
// the checkpoints it signs verify with the first node's /log/vkey. A database named with --db and
// no data directory never takes the key or origin of the default ./data, which is another
// instance's.
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { type Db, openDatabase } from '../../src/db/index.ts';
import { LOG_KEY_FILE } from '../../src/features/transparency/index.ts';
import {
  generateNoteKey,
  noteVerifierFromKey,
  openCheckpoint,
  parseCheckpoint,
  parseNote,
} from '../../src/tlog/index.ts';
import { tabella } from '../support/cli.ts';
import { describeEachEngine, type ScratchDatabase, scratchDatabase } from '../support/databases.ts';
import { fetchText, servedVkey } from '../support/log.ts';
import { type ServeOutcome, startServe } from '../support/serve-child.ts';

/** The coded refusal a node printed, e.g. `LOG_KEY_MISMATCH`, after checking it exited 1. */
function refusal(r: ServeOutcome): string {
  assert.equal(r.kind, 'exited', 'the node must refuse to start');
  if (r.kind !== 'exited') return '';
  assert.equal(r.code, 1, r.stderr);
  return /^error ([A-Z_]+):/m.exec(r.stderr)?.[1] ?? `no coded error in: ${r.stderr}`;
}

function up(r: ServeOutcome): Extract<ServeOutcome, { kind: 'up' }> {
  assert.equal(r.kind, 'up', r.kind === 'exited' ? r.stderr : '');
  return r as Extract<ServeOutcome, { kind: 'up' }>;
}

const originOf = async (url: string) =>
  parseCheckpoint(parseNote(await fetchText(`${url}/log/checkpoint`)).text);

const tempDir = (name: string) => mkdtempSync(join(tmpdir(), `tabella-${name}-`));

describeEachEngine('one log identity per database', (engine) => {
  let scratch: ScratchDatabase;
  let db: Db;
  const dirs: string[] = [];
  const running: (() => Promise<void>)[] = [];

  const dir = (name: string) => {
    const d = tempDir(name);
    dirs.push(d);
    return d;
  };
  const serve = async (args: readonly string[], o: Parameters<typeof startServe>[1] = {}) => {
    const r = await startServe(args, o);
    if (r.kind === 'up') running.push(r.stop);
    return r;
  };

  before(async () => {
    scratch = await scratchDatabase(engine);
    db = await openDatabase(scratch.url);
  });
  after(async () => {
    for (const stop of running) await stop();
    await db?.close();
    await scratch?.cleanup();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('a second node refuses without the first one’s key; with it (file or TABELLA_LOG_KEY) it signs checkpoints the first one’s vkey verifies', async () => {
    const on = ['--db', scratch.url];
    const first = up(await serve([...on, '--data-dir', scratch.dataDir]));
    const vkey = await servedVkey(first.url);
    const origin = (await originOf(first.url)).origin;
    const recorded = await db.kysely.selectFrom('log_identity').selectAll().execute();
    assert.deepEqual(
      recorded.map((r) => [r.origin, r.vkey]),
      [[origin, vkey]],
    );
    const key = readFileSync(join(scratch.dataDir, LOG_KEY_FILE), 'utf8').trim();

    // A fresh data directory: no key, and none is created for a log that has one.
    const empty = dir('node-empty');
    assert.equal(refusal(await serve([...on, '--data-dir', empty])), 'LOG_KEY_MISSING');
    assert.deepEqual(readdirSync(empty), []);
    // Its own key, even under the same name (the origin): refused.
    const other = dir('node-other');
    writeFileSync(join(other, LOG_KEY_FILE), `${generateNoteKey(origin).signerKey}\n`, { mode: 0o600 });
    assert.equal(refusal(await serve([...on, '--data-dir', other])), 'LOG_KEY_MISMATCH');
    const check = await tabella(['audit', 'log-key', ...on, '--data-dir', other]);
    assert.equal(check.code, 1);
    assert.match(check.stderr, /^error LOG_KEY_MISMATCH:/m);
    // The right key, but named otherwise than the database's log.
    assert.equal(
      refusal(
        await serve([...on, '--data-dir', empty], {
          env: { TABELLA_LOG_KEY: key, TABELLA_INSTANCE_NAME: 'elsewhere.example' },
        }),
      ),
      'LOG_ORIGIN_MISMATCH',
    );
    assert.deepEqual(
      (await db.kysely.selectFrom('log_identity').selectAll().execute()).map((r) => r.vkey),
      [vkey],
      'no refused node changed the recorded identity',
    );

    // The key file named by TABELLA_LOG_KEY_FILE wins over the data directory's own (wrong) key.
    const byFile = up(
      await serve([...on, '--data-dir', other], {
        env: { TABELLA_LOG_KEY_FILE: join(scratch.dataDir, LOG_KEY_FILE) },
      }),
    );
    assert.equal(await servedVkey(byFile.url), vkey);
    await byFile.stop();
    // The key in TABELLA_LOG_KEY, in the encoding of the key file; nothing is written to the data directory.
    const second = up(await serve([...on, '--data-dir', empty], { env: { TABELLA_LOG_KEY: key } }));
    assert.equal(await servedVkey(second.url), vkey);
    assert.equal((await originOf(second.url)).origin, origin, 'the origin is the database’s');
    assert.deepEqual(readdirSync(empty), []);

    // Only the second node runs now: the checkpoint of a new event is its own, and verifies with
    // the key the first node served.
    await first.stop();
    const size = (await originOf(second.url)).size;
    const made = await tabella([
      ...['org', 'create', '--name', 'Durham County', '--kind', 'government', '--role', 'election-office'],
      ...on,
      '--data-dir',
      empty,
    ]);
    assert.equal(made.code, 0, made.stderr);
    let note = '';
    for (let waited = 0; waited < 20_000; waited += 100) {
      note = await fetchText(`${second.url}/log/checkpoint`);
      if (parseCheckpoint(parseNote(note).text).size > size) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const signed = openCheckpoint(note, [noteVerifierFromKey(vkey)], { origin }).checkpoint;
    assert.ok(signed.size > size, 'the second node signed a newer checkpoint');
    const verified = await tabella(['audit', 'verify', second.url, '--vkey', vkey, '--json']);
    assert.equal(verified.code, 0, verified.stderr);
    assert.equal(JSON.parse(verified.stdout).origin, origin);
    const shown = await tabella(['audit', 'log-key', ...on, '--data-dir', scratch.dataDir]);
    assert.equal(shown.code, 0, shown.stderr);
    assert.equal(shown.stdout.trim(), vkey);
  });

  it('a database named without a data directory takes neither the key nor the origin of ./data', async () => {
    const fresh = await scratchDatabase(engine);
    const cwd = dir('cwd');
    try {
      // What an unrelated instance started in this directory left behind, under the default origin.
      mkdirSync(join(cwd, 'data'));
      const unrelated = generateNoteKey('tabella.localhost');
      writeFileSync(join(cwd, 'data', LOG_KEY_FILE), `${unrelated.signerKey}\n`, { mode: 0o600 });

      assert.equal(refusal(await serve(['--db', fresh.url], { cwd })), 'LOG_KEY_MISSING');
      const check = await tabella(['audit', 'log-key', '--db', fresh.url]);
      assert.equal(check.code, 1);
      assert.match(check.stderr, /^error LOG_KEY_MISSING:/m);
      assert.deepEqual(readdirSync(join(cwd, 'data')), [LOG_KEY_FILE], 'nothing was created in ./data');
      const freshDb = await openDatabase(fresh.url);
      try {
        assert.equal((await freshDb.kysely.selectFrom('log_identity').selectAll().execute()).length, 0);
        assert.equal((await freshDb.kysely.selectFrom('log_state').selectAll().execute()).length, 0);
      } finally {
        await freshDb.close();
      }

      const own = generateNoteKey('isac.example/log');
      const node = up(await serve(['--db', fresh.url], { cwd, env: { TABELLA_LOG_KEY: own.signerKey } }));
      assert.equal(await servedVkey(node.url), own.verifierKey);
      assert.notEqual(await servedVkey(node.url), unrelated.verifierKey);
      assert.equal(
        (await originOf(node.url)).origin,
        'isac.example/log',
        'the origin is the key’s, not the default',
      );
      await node.stop();
      // The ./data key is still refused for this database now that it has a log.
      assert.equal(refusal(await serve(['--db', fresh.url], { cwd })), 'LOG_KEY_MISMATCH');
      assert.ok(existsSync(join(cwd, 'data', LOG_KEY_FILE)));
    } finally {
      await fresh.cleanup();
    }
  });
});
