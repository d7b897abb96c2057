// Issue 10 §6: the command line beside a running server. A `tabella serve` child (its log
// sequencer writing every 200 ms) is kept under REST share load for the whole test while eight CLI
// writers run at once against the same database: every command exits 0, every share answers 2xx,
// and the database holds exactly what was written — a write never fails because another process
// was writing (SQLite: write transactions take the write lock at their start, so the busy timeout
// applies; PostgreSQL is run too, as every finding is).
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { type Db, openDatabase } from '../../src/db/index.ts';
import type { Database } from '../../src/db/schema.ts';
import { BIN, cleanEnv, ROOT, type Run, tabella } from '../support/cli.ts';
import { describeEachEngine, type ScratchDatabase, scratchDatabase } from '../support/databases.ts';
import { indicator } from '../support/intel.ts';
import { Client } from '../support/json-client.ts';
import { freePort } from '../support/ports.ts';

/** REST clients sharing at once, and objects per share request. */
const SHARERS = 4;
const PER_SHARE = 25;
/** Objects in the two imported bundles: more than one import chunk (5,000) and a smaller one. */
const BIG = 6000;
const SMALL = 2000;

describeEachEngine('the command line beside a running server under REST share load', (engine) => {
  let scratch: ScratchDatabase;
  let where: string[];
  let server: ChildProcess;
  let serverErr = '';
  let db: Db;
  let base: string;
  let token: string;
  let sharerOrg: string;

  // biome-ignore lint/suspicious/noExplicitAny: CLI output is JSON inspected dynamically
  async function json(args: readonly string[]): Promise<any> {
    const r = await tabella([...args, ...where, '--json']);
    assert.equal(r.code, 0, `tabella ${args.join(' ')}: ${r.stderr}`);
    return JSON.parse(r.stdout);
  }

  const org = (name: string, ...more: string[]) =>
    json(['org', 'create', '--name', name, '--kind', 'government', '--role', 'election-office', ...more]);

  async function count(table: keyof Database, where?: { column: 'owner_org_id'; value: string }) {
    let q = db.kysely.selectFrom(table).select((eb) => eb.fn.countAll<number | string | bigint>().as('n'));
    // biome-ignore lint/suspicious/noExplicitAny: a column of the table named by the caller
    if (where !== undefined) q = q.where(where.column as any, '=', where.value);
    return Number((await q.executeTakeFirstOrThrow()).n);
  }

  function bundle(name: string, n: number): string {
    const file = join(scratch.dataDir, `${name}.json`);
    const objects = Array.from({ length: n }, () => indicator({ tlp: 'green' }));
    writeFileSync(file, JSON.stringify({ type: 'bundle', id: `bundle--${crypto.randomUUID()}`, objects }));
    return file;
  }

  before(async () => {
    scratch = await scratchDatabase(engine);
    where = ['--db', scratch.url, '--data-dir', scratch.dataDir];
    sharerOrg = (await org('Wake County Board of Elections', '--vetted')).id;
    const analyst = await json([
      ...['member', 'create', '--org', sharerOrg, '--email', 'analyst@wake.example'],
      ...['--role', 'analyst'],
    ]);
    token = (await json(['token', 'create', '--member', analyst.id])).token;
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = spawn(
      process.execPath,
      [BIN, 'serve', '--port', String(port), '--host', '127.0.0.1', ...where],
      {
        cwd: ROOT,
        stdio: ['ignore', 'ignore', 'pipe'],
        env: cleanEnv({ TABELLA_LOG_INTERVAL_MS: '200', TABELLA_LOG_LEVEL: 'error' }),
      },
    );
    server.stderr?.on('data', (d: Buffer) => {
      serverErr += d.toString();
    });
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        if ((await fetch(`${base}/healthz`)).ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`server did not start: ${serverErr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    db = await openDatabase(scratch.url);
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

  it('eight CLI writers beside REST shares: every command exits 0, every share is 2xx, every write is stored', async (t) => {
    const importOrgs = [
      (await org('Import County A', '--vetted')).id,
      (await org('Import County B', '--vetted')).id,
    ];
    const toSuspend = (await org('Suspended County', '--vetted')).id;
    const files = [bundle('big', BIG), bundle('small', SMALL)];
    const before = {
      organizations: await count('organizations'),
      members: await count('members'),
      tokens: await count('api_tokens'),
    };

    const api = new Client(base).withToken(token);
    let stop = false;
    const replies: { status: number; stored: number; failures: number }[] = [];
    const sharer = async () => {
      while (!stop) {
        const r = await api.post('/api/v1/intel', {
          objects: Array.from({ length: PER_SHARE }, () => indicator({ tlp: 'green' })),
          distribution: { kind: 'community' },
        });
        replies.push({
          status: r.status,
          stored: Array.isArray(r.body?.successes) ? r.body.successes.length : 0,
          failures: Array.isArray(r.body?.failures) ? r.body.failures.length : -1,
        });
      }
    };
    const load = Array.from({ length: SHARERS }, sharer);
    // The load is on before the writers start.
    while (replies.length < SHARERS) await new Promise((r) => setTimeout(r, 20));

    const cli = (args: readonly string[]) => tabella([...args, ...where]);
    const runs: Run[] = await Promise.all([
      cli(['intel', 'import', files[0] as string, '--org', importOrgs[0] as string, '--tlp', 'green']),
      cli(['intel', 'import', files[1] as string, '--org', importOrgs[1] as string, '--tlp', 'green']),
      cli(['org', 'create', '--name', 'Durham County', '--kind', 'government', '--role', 'election-office']),
      cli(['org', 'create', '--name', 'Orange County', '--kind', 'government', '--role', 'election-office']),
      cli(['member', 'create', '--org', sharerOrg, '--email', 'a2@wake.example', '--role', 'analyst']),
      cli(['member', 'create', '--org', sharerOrg, '--email', 'a3@wake.example', '--role', 'responder']),
      cli(['token', 'create', '--member', 'analyst@wake.example', '--name', 'SIEM']),
      cli(['org', 'suspend', toSuspend]),
    ]);
    stop = true;
    await Promise.all(load);

    const failed = runs.filter((r) => r.code !== 0).map((r) => r.stderr);
    assert.deepEqual(failed, [], `${failed.length} of ${runs.length} CLI writers failed`);
    const bad = replies.filter((r) => r.status < 200 || r.status > 299 || r.failures !== 0);
    assert.deepEqual(bad, [], `${bad.length} of ${replies.length} shares failed; server: ${serverErr}`);
    assert.ok(replies.length > SHARERS, `shares ran throughout (${replies.length})`);

    const shared = replies.reduce((n, r) => n + r.stored, 0);
    t.diagnostic(`${replies.length} REST shares (${shared} objects) beside the 8 CLI writers`);
    assert.equal(shared, replies.length * PER_SHARE);
    assert.equal(await count('intel_objects', { column: 'owner_org_id', value: sharerOrg }), shared);
    assert.equal(
      await count('intel_objects', { column: 'owner_org_id', value: importOrgs[0] as string }),
      BIG,
    );
    assert.equal(
      await count('intel_objects', { column: 'owner_org_id', value: importOrgs[1] as string }),
      SMALL,
    );
    assert.equal(await count('organizations'), before.organizations + 2);
    assert.equal(await count('members'), before.members + 2);
    assert.equal(await count('api_tokens'), before.tokens + 1);
    const suspended = await db.kysely
      .selectFrom('organizations')
      .select('status')
      .where('id', '=', toSuspend)
      .executeTakeFirstOrThrow();
    assert.equal(suspended.status, 'suspended');
  });
});
