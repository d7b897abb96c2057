// SIGKILL during heavy writes, with the sequencer running every 100 ms (issue 5, "Failure and
// attack cases"): after a restart on the same database and data directory the sequencer catches up,
// every acknowledged action's audit event has a log index, and the log verifies over HTTP — and it
// extends the checkpoint published before the kill.
import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { after, before, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../src/db/index.ts';
import { type Checkpoint, noteVerifierFromKey, openCheckpoint } from '../../src/tlog/index.ts';
import { describeEachEngine, type ScratchDatabase, scratchDatabase } from '../support/databases.ts';
import { verifyServedLog } from '../support/log.ts';
import { freePort } from '../support/server.ts';

const BIN = fileURLToPath(new URL('../../bin/tabella.mjs', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function env(): NodeJS.ProcessEnv {
  const e = { ...process.env };
  for (const key of Object.keys(e))
    if (key.startsWith('TABELLA_') && key !== 'TABELLA_TEST_PG') delete e[key];
  return { ...e, TABELLA_LOG_INTERVAL_MS: '100', TABELLA_LOG_LEVEL: 'error' };
}

async function startServe(where: readonly string[], port: number): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [BIN, 'serve', '--port', String(port), '--host', '127.0.0.1', ...where],
    {
      cwd: ROOT,
      stdio: 'ignore',
      env: env(),
    },
  );
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return child;
    } catch {
      // not yet listening
    }
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error('server did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describeEachEngine('SIGKILL during heavy writes, with the transparency log sequencing', (engine) => {
  let scratch: ScratchDatabase;
  let where: string[];
  before(async () => {
    scratch = await scratchDatabase(engine);
    where = ['--db', scratch.url, '--data-dir', scratch.dataDir];
  });
  after(async () => scratch.cleanup());

  function cliJson(args: readonly string[]): { id: string; token?: string } {
    return JSON.parse(
      execFileSync(process.execPath, [BIN, ...args, ...where, '--json'], {
        encoding: 'utf8',
        cwd: ROOT,
        env: env(),
      }),
    );
  }

  it('restarts into a log that verifies and holds every acknowledged action', async (t) => {
    const org = cliJson([
      'org',
      'create',
      '--name',
      'Crash Log County',
      '--kind',
      'government',
      '--role',
      'election-office',
      '--vetted',
    ]);
    const admin = cliJson([
      'member',
      'create',
      '--org',
      org.id,
      '--email',
      'admin@crashlog.example',
      '--role',
      'admin',
    ]);
    const { token } = cliJson(['token', 'create', '--member', admin.id]);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const child = await startServe(where, port);
    const vkey = (await (await fetch(`${base}/log/vkey`)).text()).trim();

    const acknowledgedMembers: string[] = [];
    const acknowledgedTokens: string[] = [];
    let stop = false;
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const writer = async (w: number) => {
      for (let i = 0; !stop; i++) {
        try {
          if (i % 4 === 3) {
            const res = await fetch(`${base}/api/v1/tokens`, {
              method: 'POST',
              headers,
              body: JSON.stringify({ name: `t${w}-${i}` }),
            });
            if (res.status === 201) acknowledgedTokens.push(((await res.json()) as { id: string }).id);
          } else {
            const res = await fetch(`${base}/api/v1/orgs/${org.id}/members`, {
              method: 'POST',
              headers,
              body: JSON.stringify({ email: `m${w}-${i}@crashlog.example`, roles: ['official'] }),
            });
            if (res.status === 201)
              acknowledgedMembers.push(((await res.json()) as { member: { id: string } }).member.id);
          }
        } catch {
          return; // the server is gone
        }
      }
    };
    const writers = Promise.all([0, 1, 2, 3, 4, 5].map(writer));
    // A checkpoint published while the writes go on: what a verifier saved before the crash.
    await new Promise((r) => setTimeout(r, 1000));
    const savedNote = await (await fetch(`${base}/log/checkpoint`)).text();
    const saved: Checkpoint = openCheckpoint(savedNote, [noteVerifierFromKey(vkey)]).checkpoint;
    await new Promise((r) => setTimeout(r, 500));
    child.kill('SIGKILL');
    stop = true;
    await writers;
    if (child.exitCode === null && child.signalCode === null) await new Promise((r) => child.once('exit', r));
    assert.ok(acknowledgedMembers.length > 10, `only ${acknowledgedMembers.length} writes were acknowledged`);
    assert.ok(saved.size > 0, 'the log was growing before the kill');

    const dead = await openDatabase(scratch.url);
    try {
      const row = await dead.kysely
        .selectFrom('audit_events')
        .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
        .where('log_index', 'is', null)
        .executeTakeFirstOrThrow();
      t.diagnostic(
        `${acknowledgedMembers.length + acknowledgedTokens.length} acknowledged writes; ${row.n} events unsequenced at the kill; saved checkpoint size ${saved.size}`,
      );
    } finally {
      await dead.close();
    }

    const port2 = await freePort();
    const base2 = `http://127.0.0.1:${port2}`;
    const again = await startServe(where, port2);
    const db = await openDatabase(scratch.url);
    try {
      assert.equal(
        (await (await fetch(`${base2}/log/vkey`)).text()).trim(),
        vkey,
        'the same log key after the restart',
      );
      const deadline = Date.now() + 20_000;
      for (;;) {
        const row = await db.kysely
          .selectFrom('audit_events')
          .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
          .where('log_index', 'is', null)
          .executeTakeFirstOrThrow();
        if (Number(row.n) === 0) break;
        if (Date.now() > deadline)
          throw new Error(`${row.n} events are still not sequenced after the restart`);
        await new Promise((r) => setTimeout(r, 100));
      }

      const events = await db.kysely
        .selectFrom('audit_events')
        .select(['action', 'subject_id', 'log_index'])
        .execute();
      const logged = new Map<string, number | null>();
      for (const e of events)
        if (e.subject_id !== null) logged.set(`${e.action}/${e.subject_id}`, e.log_index);
      for (const id of acknowledgedMembers)
        assert.equal(
          typeof logged.get(`member.invite/${id}`),
          'number',
          `member ${id}: its event is in the log`,
        );
      for (const id of acknowledgedTokens)
        assert.equal(
          typeof logged.get(`token.create/${id}`),
          'number',
          `token ${id}: its event is in the log`,
        );
      const indexes = events.map((e) => e.log_index as number).sort((a, b) => a - b);
      assert.deepEqual(
        indexes,
        indexes.map((_, i) => i),
        'log indexes are 0…n−1, each used once',
      );

      const verified = await verifyServedLog(base2, { vkey, previous: saved });
      assert.equal(verified.checkpoint.size, events.length, 'every event is in the served checkpoint');
      assert.equal(verified.entriesChecked, events.length);
    } finally {
      await db.close();
      const exited = again.exitCode === null ? new Promise((r) => again.once('exit', r)) : undefined;
      again.kill('SIGTERM');
      await exited;
    }
  });
});
