// `tabella audit verify | witness | witness-key | check-receipt` as people run them (issue 5): child
// processes against a `tabella serve` child that sequences every 200 ms, on a scratch database.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Db, openDatabase } from '../../src/db/index.ts';
import { LOG_KEY_FILE, type Receipt } from '../../src/features/transparency/index.ts';
import { readCheckpointNote } from '../../src/features/transparency/log-resources.ts';
import {
  type Checkpoint,
  entriesPath,
  noteSignerFromKey,
  noteVerifierFromKey,
  openCheckpoint,
  parseCheckpoint,
  parseNote,
  signCheckpoint,
  TILE_WIDTH,
  tilePath,
  tilesOfTree,
} from '../../src/tlog/index.ts';
import { BIN, cleanEnv, ROOT, type Run, tabella } from '../support/cli.ts';
import {
  ENGINES,
  type Engine,
  type ScratchDatabase,
  scratchDatabase,
  skipReason,
} from '../support/databases.ts';
import { httpLogFetch } from '../support/log.ts';
import { freePort } from '../support/server.ts';

async function ok(args: readonly string[]): Promise<Run> {
  const r = await tabella(args);
  assert.equal(r.code, 0, `tabella ${args.join(' ')} failed: ${r.stderr}`);
  return r;
}

async function failsWith(args: readonly string[], code: string): Promise<Run> {
  const r = await tabella(args);
  assert.equal(r.code, 1, `tabella ${args.join(' ')} should fail; stdout: ${r.stdout}`);
  assert.match(r.stderr, new RegExp(`\\b${code}\\b`), r.stderr);
  return r;
}

/**
 * Every CLI call costs a few seconds of start-up, so PostgreSQL runs here only when asked
 * (TABELLA_TEST_CLI_PG=1); the integration tests prove the same paths on both engines.
 */
function cliSkip(engine: Engine): string | false {
  if (engine === 'postgres' && !process.env.TABELLA_TEST_CLI_PG)
    return 'set TABELLA_TEST_CLI_PG=1 to run the audit CLI against PostgreSQL too';
  return skipReason(engine);
}

for (const engine of ENGINES)
  describe(`tabella audit (CLI) [${engine}]`, { skip: cliSkip(engine) }, () => suite(engine));

function suite(engine: Engine): void {
  let scratch: ScratchDatabase;
  let server: ChildProcess;
  let db: Db;
  let base: string;
  let where: string[];
  let vkey: string;
  let work: string;
  let oversightToken: string;

  // biome-ignore lint/suspicious/noExplicitAny: CLI output is JSON inspected dynamically
  async function json(args: readonly string[]): Promise<any> {
    const r = await ok([...args, ...where, '--json']);
    return JSON.parse(r.stdout.trim());
  }

  /** `tabella audit witness` against this server's log, as the oversight body runs it. */
  function witnessArgs(keyFile: string, state: string): string[] {
    return [
      'audit',
      'witness',
      base,
      '--vkey',
      vkey,
      '--key',
      keyFile,
      '--token',
      oversightToken,
      '--state',
      state,
    ];
  }

  async function pending(): Promise<number> {
    const row = await db.kysely
      .selectFrom('audit_events')
      .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
      .where('log_index', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Waits until the server's sequencer has taken every recorded event. */
  async function sequenced(): Promise<Checkpoint> {
    const deadline = Date.now() + 15_000;
    while ((await pending()) > 0) {
      if (Date.now() > deadline) throw new Error('events were not sequenced in time');
      await new Promise((r) => setTimeout(r, 50));
    }
    const note = readFileSync(
      await fetchTo(join(work, 'latest-checkpoint'), `${base}/log/checkpoint`),
      'utf8',
    );
    return openCheckpoint(note, [noteVerifierFromKey(vkey)]).checkpoint;
  }

  async function fetchTo(file: string, url: string): Promise<string> {
    const res = await fetch(url);
    assert.equal(res.status, 200, url);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    return file;
  }

  /** A checkpoint for this log's origin signed with the instance's own key: a forgery by the operator. */
  function forged(size: number, fill: number): string {
    const signer = noteSignerFromKey(readFileSync(join(scratch.dataDir, LOG_KEY_FILE), 'utf8').trim());
    return signCheckpoint({ origin: signer.name, size, rootHash: Buffer.alloc(32, fill), extensions: [] }, [
      signer,
    ]);
  }

  before(async () => {
    scratch = await scratchDatabase(engine);
    work = join(scratch.dataDir, 'work');
    mkdirSync(work);
    where = ['--db', scratch.url, '--data-dir', scratch.dataDir];
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = spawn(
      process.execPath,
      [BIN, 'serve', '--port', String(port), '--host', '127.0.0.1', ...where],
      {
        cwd: ROOT,
        stdio: 'ignore',
        env: cleanEnv({ TABELLA_LOG_INTERVAL_MS: '200', TABELLA_LOG_LEVEL: 'error' }),
      },
    );
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        if ((await fetch(`${base}/healthz`)).ok) break;
      } catch {
        // not yet listening
      }
      if (Date.now() > deadline) throw new Error('server did not start');
      await new Promise((r) => setTimeout(r, 50));
    }
    db = await openDatabase(scratch.url);
    vkey = (await (await fetch(`${base}/log/vkey`)).text()).trim();

    const oversight = await json([
      'org',
      'create',
      '--name',
      'State Election Oversight Board',
      '--kind',
      'government',
      '--role',
      'oversight',
      '--vetted',
    ]);
    const admin = await json([
      'member',
      'create',
      '--org',
      oversight.id,
      '--email',
      'w@oversight.example',
      '--role',
      'admin',
    ]);
    oversightToken = (await json(['token', 'create', '--member', admin.id])).token;
  });

  after(async () => {
    const exited =
      server !== undefined && server.exitCode === null
        ? new Promise((r) => server.once('exit', r))
        : undefined;
    server?.kill('SIGTERM');
    await exited;
    await db?.close();
    await scratch?.cleanup();
  });

  it('verify: a fresh instance serves a log the verifier accepts, and a later one consistent with the saved state', async () => {
    const first = await sequenced();
    assert.ok(first.size >= 3, `the CLI actions are in the log (size ${first.size})`);
    const state = join(work, 'verify.state');
    const r1 = await ok(['audit', 'verify', `${base}/log`, '--vkey', vkey, '--state', state, '--json']);
    const s1 = JSON.parse(r1.stdout);
    assert.equal(s1.ok, true);
    assert.ok(s1.size >= first.size);
    assert.equal(s1.consistentWith, null);
    assert.equal(s1.entriesChecked, s1.size);
    assert.equal(parseCheckpoint(parseNote(readFileSync(state, 'utf8')).text).size, s1.size);

    await json([
      'org',
      'create',
      '--name',
      'Later County',
      '--kind',
      'government',
      '--role',
      'election-office',
    ]);
    const second = await sequenced();
    assert.ok(second.size > s1.size);
    const r2 = await ok(['audit', 'verify', `${base}/log`, '--vkey', vkey, '--state', state, '--json']);
    const s2 = JSON.parse(r2.stdout);
    assert.equal(s2.consistentWith, s1.size);
    assert.ok(s2.size >= second.size);
  });

  it('verify: a mirrored directory verifies; one flipped tile byte fails with TILE_INCONSISTENT', async () => {
    const cp = await sequenced();
    const mirror = join(work, 'mirror');
    // The checkpoint first, then the tiles and bundles of its size (the log may grow meanwhile).
    const note = readFileSync(await fetchTo(join(mirror, 'checkpoint'), `${base}/log/checkpoint`), 'utf8');
    const size = openCheckpoint(note, [noteVerifierFromKey(vkey)]).checkpoint.size;
    assert.ok(size >= cp.size);
    const fetchLog = httpLogFetch(`${base}/log`);
    const level0: string[] = [];
    for (const tile of tilesOfTree(size)) {
      const path = tilePath(tile);
      const body = await fetchLog(path);
      assert.ok(body !== undefined, path);
      mkdirSync(dirname(join(mirror, path)), { recursive: true });
      writeFileSync(join(mirror, path), body);
      if (tile.level === 0) level0.push(path);
    }
    for (let index = 0; index * TILE_WIDTH < size; index++) {
      const path = entriesPath(index, Math.min(TILE_WIDTH, size - index * TILE_WIDTH));
      const body = await fetchLog(path);
      assert.ok(body !== undefined, path);
      mkdirSync(dirname(join(mirror, path)), { recursive: true });
      writeFileSync(join(mirror, path), body);
    }
    const r = await ok(['audit', 'verify', mirror, '--vkey', vkey, '--json']);
    assert.equal(JSON.parse(r.stdout).size, size);

    const victim = join(mirror, level0[0] as string);
    const bytes = readFileSync(victim);
    bytes[0] = (bytes[0] as number) ^ 0x01;
    writeFileSync(victim, bytes);
    await failsWith(['audit', 'verify', mirror, '--vkey', vkey], 'TILE_INCONSISTENT');
  });

  it('verify: a state file holding another history (signed with the same key) fails with INCONSISTENT_HISTORY', async () => {
    const cp = await sequenced();
    const state = join(work, 'forked.state');
    writeFileSync(state, forged(cp.size - 1, 3));
    await failsWith(
      ['audit', 'verify', `${base}/log`, '--vkey', vkey, '--state', state],
      'INCONSISTENT_HISTORY',
    );
    // The state file is not replaced by a checkpoint that failed.
    assert.equal(parseCheckpoint(parseNote(readFileSync(state, 'utf8')).text).size, cp.size - 1);
  });

  it('witness: cosigns a checkpoint, hands it back, and the log keeps it with that checkpoint', async () => {
    const keyFile = join(work, 'witness.key');
    const made = await ok(['audit', 'witness-key', '--name', 'witness.oversight.example', '--out', keyFile]);
    const witnessVkey = made.stdout.trim();
    assert.match(witnessVkey, /^witness\.oversight\.example\+[0-9a-f]{8}\+/);
    await sequenced();
    const state = join(work, 'witness.state');
    await ok(witnessArgs(keyFile, state));
    const seen = parseCheckpoint(parseNote(readFileSync(state, 'utf8')).text);

    // The checkpoint of that size, as the log serves it, carries the witness's cosignature.
    const note = await readCheckpointNote(db.kysely, seen.size);
    const opened = openCheckpoint(note, [noteVerifierFromKey(vkey), noteVerifierFromKey(witnessVkey)]);
    assert.equal(opened.checkpoint.size, seen.size);
    assert.ok(opened.note.verified.some((sig) => sig.name === 'witness.oversight.example'));
    const log = await fetch(`${base}/api/v1/audit/log`, {
      headers: { authorization: `Bearer ${oversightToken}` },
    });
    assert.equal(log.status, 200);
    const body = (await log.json()) as { witnesses: { vkey: string; cosignedSize: number | null }[] };
    assert.equal(body.witnesses.find((w) => w.vkey === witnessVkey)?.cosignedSize, seen.size);

    // Served at /log/checkpoint while the log stays at that size (handing back a cosignature is
    // not itself logged, so it does not move the log past what it signs).
    const served = await (await fetch(`${base}/log/checkpoint`)).text();
    const current = openCheckpoint(served, [noteVerifierFromKey(vkey), noteVerifierFromKey(witnessVkey)]);
    assert.equal(current.checkpoint.size, seen.size);
    assert.ok(current.note.verified.some((sig) => sig.name === 'witness.oversight.example'));

    // A second round, after the log grew, extends what the witness saw.
    await json([
      'org',
      'create',
      '--name',
      'Witnessed County',
      '--kind',
      'government',
      '--role',
      'election-office',
    ]);
    await sequenced();
    await ok(witnessArgs(keyFile, state));
    assert.ok(parseCheckpoint(parseNote(readFileSync(state, 'utf8')).text).size > seen.size);
  });

  it('witness: refuses a log inconsistent with what it saw before (INCONSISTENT_HISTORY), cosigning nothing', async () => {
    const keyFile = join(work, 'witness.key');
    const cp = await sequenced();
    const countCosignatures = async () =>
      Number(
        (
          await db.kysely
            .selectFrom('log_cosignatures')
            .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await countCosignatures();
    for (const [label, note] of [
      ['fork', forged(cp.size - 1, 5)],
      ['ahead', forged(cp.size + 1000, 6)],
    ] as const) {
      const state = join(work, `witness2-${label}.state`);
      writeFileSync(state, note);
      await failsWith(witnessArgs(keyFile, state), 'INCONSISTENT_HISTORY');
      assert.equal(readFileSync(state, 'utf8'), note, `${label}: the state is kept`);
    }
    assert.equal(await countCosignatures(), before, 'no cosignature was handed in');
  });

  it('check-receipt: a downloaded receipt checks offline; one with any field edited fails with its code', async () => {
    await sequenced();
    const events = await fetch(`${base}/api/v1/audit/events?action=witness.register`, {
      headers: { authorization: `Bearer ${oversightToken}` },
    });
    assert.equal(events.status, 200);
    const found = ((await events.json()) as { items: { id: string }[] }).items[0];
    assert.ok(found, 'the witness registration is in the audit trail');
    await sequenced();
    const res = await fetch(`${base}/api/v1/audit/events/${found.id}/receipt`, {
      headers: { authorization: `Bearer ${oversightToken}` },
    });
    assert.equal(res.status, 200);
    const receipt = (await res.json()) as Receipt;
    assert.equal(receipt.format, 'tabella-receipt/v2');
    const file = join(work, 'receipt.json');
    writeFileSync(file, JSON.stringify(receipt));
    await ok(['audit', 'check-receipt', file, '--vkey', vkey]);

    const onEvent = (field: string, value: unknown) => ({
      ...receipt,
      event: { ...receipt.event, [field]: value },
    });
    const zero = Buffer.alloc(32).toString('base64');
    const edits: readonly (readonly [string, unknown, string])[] = [
      ...(
        [
          ['id', 'evt_other'],
          ['at', '2020-01-01T00:00:00.000Z'],
          ['actorType', 'member'],
          ['actorId', 'mbr_other'],
          ['actorOrgId', 'org_other'],
          ['actorOrgKind', 'private'],
          ['actorOrgRole', 'vendor'],
          ['action', 'witness.delete'],
          ['subjectType', 'member'],
          ['subjectId', 'other'],
          ['subjectOrgId', 'org_other'],
          ['details', { ...receipt.event.details, name: 'x' }],
        ] as const
      ).map(([field, value]) => [`event.${field}`, onEvent(field, value), 'ENTRY_MISMATCH'] as const),
      ['event.logIndex', onEvent('logIndex', receipt.leafIndex + 1), 'INDEX_MISMATCH'],
      ['salt', { ...receipt, salt: Buffer.alloc(16).toString('base64url') }, 'ENTRY_MISMATCH'],
      ['entry', { ...receipt, entry: receipt.entry.replace('"v":2', '"v":3') }, 'ENTRY_MISMATCH'],
      ['leafIndex', { ...receipt, leafIndex: receipt.leafIndex + 1 }, 'INDEX_MISMATCH'],
      ['treeSize', { ...receipt, treeSize: receipt.treeSize + 1 }, 'TREE_SIZE_MISMATCH'],
      [
        'checkpoint',
        { ...receipt, checkpoint: receipt.checkpoint.replace(`\n${receipt.treeSize}\n`, '\n1\n') },
        'BAD_SIGNATURE',
      ],
      [
        'inclusionProof',
        { ...receipt, inclusionProof: [zero, ...receipt.inclusionProof.slice(1)] },
        'INVALID_PROOF',
      ],
      ['format', { ...receipt, format: 'tabella-receipt/v0' }, 'RECEIPT_MALFORMED'],
    ];
    // Two at a time: each is a CLI start-up of its own.
    for (let i = 0; i < edits.length; i += 2)
      await Promise.all(
        edits.slice(i, i + 2).map(async ([field, edited, code]) => {
          const changed = join(work, `receipt-${field}.json`);
          writeFileSync(changed, JSON.stringify(edited));
          await failsWith(['audit', 'check-receipt', changed, '--vkey', vkey], code);
        }),
      );
  });
}
