// Command-line polish found on the way (issue 10 §7), as people run the commands: `node
// bin/tabella.mjs …` as a child process, on a scratch SQLite data directory and PostgreSQL schema.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { systemClock } from '../../src/core/clock.ts';
import { loadConfig } from '../../src/core/config.ts';
import { openDatabase } from '../../src/db/index.ts';
import { createOrg } from '../../src/features/membership/index.ts';
import { generateNoteKey } from '../../src/tlog/index.ts';
import { makeOrg, memberWithToken, operatorOrgId } from '../support/arrange.ts';
import { BIN, cleanEnv, ROOT, type Run } from '../support/cli.ts';
import { describeEachEngine, type ScratchDatabase, scratchDatabase } from '../support/databases.ts';
import { freePort } from '../support/ports.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

/** Runs `tabella <args>` with extra environment to completion. */
function run(args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: cleanEnv(env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A failure people can read: exit 1, exactly one line on stderr, starting `<prefix> <code>:`, no stack. */
function assertOneLineFailure(r: Run, prefix: string, code: string): void {
  assert.equal(r.code, 1, `exit 1 expected; stderr: ${r.stderr}`);
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  assert.equal(lines.length, 1, `one line expected: ${r.stderr}`);
  assert.match(lines[0] ?? '', new RegExp(`^${prefix} ${code}: `), r.stderr);
  assert.doesNotMatch(r.stderr, /TypeError|\n\s+at /);
}

describe('tabella audit check-receipt on files that are not receipts', () => {
  let dir: string;
  const vkey = generateNoteKey('tabella.test/log').verifierKey;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'tabella-receipts-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const event = {
    id: 'evt_1',
    at: '2026-11-03T12:00:00.000Z',
    actorType: 'member',
    actorId: 'mbr_1',
    actorOrgId: 'org_1',
    actorOrgKind: 'government',
    actorOrgRole: 'election-office',
    action: 'intel.read',
    subjectType: 'intel',
    subjectId: null,
    subjectOrgId: null,
    details: {},
    logIndex: 0,
  };
  const receipt = {
    format: 'tabella-receipt/v2',
    event,
    salt: 'c2FsdA==',
    entry: '{}',
    leafIndex: 0,
    treeSize: 1,
    checkpoint: 'tabella.test/log\n1\nAAAA\n\n— tabella.test/log AAAA\n',
    inclusionProof: [],
  };
  const files: readonly (readonly [string, string])[] = [
    ['empty object', '{}'],
    ['array', '[]'],
    ['text', 'this is not JSON\n'],
    ['wrong-typed treeSize', JSON.stringify({ ...receipt, treeSize: '1' })],
    ['wrong-typed checkpoint', JSON.stringify({ ...receipt, checkpoint: 5 })],
    ['wrong-typed event.details', JSON.stringify({ ...receipt, event: { ...event, details: [1] } })],
    ['wrong-typed inclusionProof', JSON.stringify({ ...receipt, inclusionProof: 'AAAA' })],
  ];
  for (const [what, content] of files)
    it(`refuses ${what} with one line: RECEIPT_MALFORMED`, async () => {
      const file = join(dir, `${what.replace(/\W+/g, '-')}.json`);
      writeFileSync(file, content);
      assertOneLineFailure(
        await run(['audit', 'check-receipt', file, '--vkey', vkey]),
        'FAIL',
        'RECEIPT_MALFORMED',
      );
    });
});

describe('tabella serve: a bad port is blamed on where it came from', () => {
  it('names --port when the flag gave it, TABELLA_PORT when the environment did', async () => {
    const flag = await run(['serve', '--port', '99999', '--data-dir', join(tmpdir(), 'tabella-unused')]);
    assertOneLineFailure(flag, 'error', 'VALIDATION_FAILED');
    assert.match(flag.stderr, /\(--port\)$/m, 'fields name the flag');
    assert.doesNotMatch(flag.stderr, /TABELLA_PORT/);
    const env = await run(['serve', '--data-dir', join(tmpdir(), 'tabella-unused')], {
      TABELLA_PORT: '99999',
    });
    assertOneLineFailure(env, 'error', 'VALIDATION_FAILED');
    assert.match(env.stderr, /\(TABELLA_PORT\)$/m, 'fields name the variable');
  });
});

describeEachEngine('tabella CLI polish', (engine) => {
  let db: ScratchDatabase;
  let where: string[];
  before(async () => {
    db = await scratchDatabase(engine);
    where = engine === 'sqlite' ? ['--data-dir', db.dataDir] : ['--db', db.url, '--data-dir', db.dataDir];
  });
  after(async () => db.cleanup());

  it('org list | head: a reader closing the pipe ends the command with status 0 and no stack trace', async () => {
    // Enough organizations that the listing (~100 bytes a line) outgrows a 64 KiB pipe buffer.
    const config = loadConfig({ db: db.url, dataDir: db.dataDir });
    const opened = await openDatabase(config.db);
    const ctx = { db: opened.kysely, clock: systemClock, config, actor: { kind: 'cli' } } as const;
    for (let i = 0; i < 1500; i++)
      await createOrg(ctx, {
        name: `County Board of Elections number ${i}`,
        kind: 'government',
        role: 'election-office',
        status: 'vetted',
      });
    await opened.close();

    const child = spawn(process.execPath, [BIN, 'org', 'list', ...where], { cwd: ROOT, env: cleanEnv() });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    let read = 0;
    child.stdout.on('data', (d: Buffer) => {
      read += d.length;
      child.stdout.destroy(); // what `head` does once it has its lines
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.ok(read > 0, 'the listing started');
    assert.equal(code, 0, stderr);
    assert.equal(stderr, '', 'nothing on stderr: no EPIPE, no stack trace');
  });

  describe('serve: listen errors are one line and exit 1', () => {
    let busy: Server;
    let port: number;
    before(async () => {
      port = await freePort();
      busy = createServer();
      await new Promise<void>((resolve) => busy.listen(port, '127.0.0.1', resolve));
    });
    after(() => new Promise<void>((resolve) => busy.close(() => resolve())));

    it('a port in use: EADDRINUSE naming the port', async () => {
      const r = await run(['serve', '--port', String(port), '--host', '127.0.0.1', ...where]);
      assertOneLineFailure(r, 'error', 'EADDRINUSE');
      assert.match(r.stderr, new RegExp(`\\b${port}\\b`));
    });

    it('an address this machine lacks: EADDRNOTAVAIL', async () => {
      // 192.0.2.0/24 is TEST-NET-1 (RFC 5737): never assigned to a local interface.
      const r = await run(['serve', '--port', String(port), '--host', '192.0.2.1', ...where]);
      assertOneLineFailure(r, 'error', 'EADDRNOTAVAIL');
    });
  });
});

describeEachEngine('tabella audit verify | witness: the server URL or the log URL', (engine) => {
  let s: TestServer;
  let web: string;
  let vkey: string;
  let token: string;
  let work: string;
  before(async () => {
    // The web app's index.html fallback is on, as in production: it is what `verify http://host`
    // used to read as a checkpoint.
    web = mkdtempSync(join(tmpdir(), 'tabella-web-'));
    writeFileSync(join(web, 'index.html'), '<!doctype html><html><body>web app</body></html>');
    work = mkdtempSync(join(tmpdir(), 'tabella-witness-'));
    s = await startTestServer(engine, {}, { webRoot: web, logIntervalMs: 100 });
    const oversight = await makeOrg(s, { role: 'oversight' });
    token = (await memberWithToken(s, oversight.id, { roles: ['admin'] })).token;
    await operatorOrgId(s);
    await s.app.tabellaLog.flush();
    vkey = (await (await fetch(`${s.url}/log/vkey`)).text()).trim();
  });
  after(async () => {
    await s.close();
    rmSync(web, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it('verify accepts http://host, http://host/, http://host/log and http://host/log/', async () => {
    for (const url of [s.url, `${s.url}/`, `${s.url}/log`, `${s.url}/log/`]) {
      const r = await run(['audit', 'verify', url, '--vkey', vkey, '--json']);
      assert.equal(r.code, 0, `${url}: ${r.stderr}`);
      assert.equal(JSON.parse(r.stdout).ok, true, url);
    }
  });

  it('witness accepts http://host and http://host/log', async () => {
    const key = join(work, 'witness.key');
    const made = await run(['audit', 'witness-key', '--name', 'oversight.test/witness', '--out', key]);
    assert.equal(made.code, 0, made.stderr);
    for (const url of [`${s.url}/log/`, s.url]) {
      const r = await run([
        'audit',
        'witness',
        url,
        '--vkey',
        vkey,
        '--key',
        key,
        '--token',
        token,
        '--state',
        join(work, 'state'),
      ]);
      assert.equal(r.code, 0, `${url}: ${r.stderr}`);
      assert.match(r.stdout, /^cosigned /, url);
    }
  });
});
