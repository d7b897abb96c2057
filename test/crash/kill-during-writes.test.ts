// A crash or kill during writes leaves the database consistent (issue 2, "Bad input and failures"):
// the server is SIGKILLed while many invitations are being written; after a restart every member
// has its invitation and its audit event, and every acknowledged invitation is present.
import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { after, before, it } from 'node:test';
import { openDatabase } from '../../src/db/index.ts';
import { describeEachEngine, type ScratchDatabase, scratchDatabase } from '../support/databases.ts';
import { freePort } from '../support/ports.ts';

const BIN = new URL('../../bin/tabella.mjs', import.meta.url).pathname;

async function startServe(db: string, dataDir: string, port: number): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [BIN, 'serve', '--port', String(port), '--host', '127.0.0.1', '--db', db, '--data-dir', dataDir],
    {
      stdio: 'ignore',
      env: { ...process.env, TABELLA_LOG_LEVEL: 'error' },
    },
  );
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return child;
    } catch {
      // not yet listening
    }
    if (Date.now() > deadline) throw new Error('server did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
}

function cliJson(db: string, args: readonly string[]): { id: string; token?: string } {
  return JSON.parse(
    execFileSync(process.execPath, [BIN, ...args, '--db', db, '--json'], { encoding: 'utf8' }),
  );
}

describeEachEngine('SIGKILL during heavy writes', (engine) => {
  let scratch: ScratchDatabase;
  before(async () => {
    scratch = await scratchDatabase(engine);
  });
  after(async () => scratch.cleanup());

  it('leaves every acknowledged write, and no half-written one, after a restart', async () => {
    const org = cliJson(scratch.url, [
      'org',
      'create',
      '--name',
      'Crash County',
      '--kind',
      'government',
      '--role',
      'election-office',
      '--vetted',
    ]);
    const admin = cliJson(scratch.url, [
      'member',
      'create',
      '--org',
      org.id,
      '--email',
      'admin@crash.example',
      '--role',
      'admin',
    ]);
    const { token } = cliJson(scratch.url, ['token', 'create', '--member', admin.id]);
    const port = await freePort();
    const child = await startServe(scratch.url, scratch.dataDir, port);

    const acknowledged: string[] = [];
    let stop = false;
    const writer = async (w: number) => {
      for (let i = 0; !stop; i++) {
        try {
          const res = await fetch(`http://127.0.0.1:${port}/api/v1/orgs/${org.id}/members`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ email: `m${w}-${i}@crash.example`, roles: ['official'] }),
          });
          if (res.status === 201)
            acknowledged.push(((await res.json()) as { member: { id: string } }).member.id);
        } catch {
          return; // the server is gone
        }
      }
    };
    const writers = Promise.all([0, 1, 2, 3, 4, 5].map(writer));
    await new Promise((r) => setTimeout(r, 1500));
    // Listen before killing: the child may be gone before the writers have finished.
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    stop = true;
    await writers;
    await exited;
    assert.ok(
      acknowledged.length > 10,
      `only ${acknowledged.length} writes were acknowledged before the kill`,
    );

    // Reopen (as a restart would) and check the invariants.
    const db = await openDatabase(scratch.url);
    try {
      const members = await db.kysely
        .selectFrom('members')
        .select('id')
        .where('org_id', '=', org.id)
        .execute();
      const ids = new Set(members.map((m) => m.id));
      for (const id of acknowledged) assert.ok(ids.has(id), `acknowledged member ${id} is missing`);
      const invited = await db.kysely
        .selectFrom('members as m')
        .leftJoin('invitations as i', 'i.member_id', 'm.id')
        .select(['m.id', 'i.id as invitation'])
        .where('m.org_id', '=', org.id)
        .where('m.status', '=', 'invited')
        .execute();
      for (const row of invited) {
        if (row.id === admin.id) continue;
        assert.notEqual(row.invitation, null, `member ${row.id} has no invitation`);
      }
      const events = await db.kysely
        .selectFrom('audit_events')
        .select('subject_id')
        .where('action', '=', 'member.invite')
        .execute();
      const audited = new Set(events.map((e) => e.subject_id));
      for (const id of ids) assert.ok(audited.has(id), `member ${id} has no audit event`);
      assert.equal(events.length, ids.size, 'an audit event without its member');
    } finally {
      await db.close();
    }

    // And the instance starts again on the same database.
    const again = await startServe(scratch.url, scratch.dataDir, await freePort());
    const againExited = new Promise((r) => again.once('exit', r));
    again.kill('SIGTERM');
    await againExited;
  });
});
