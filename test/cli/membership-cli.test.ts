// The administrative CLI as a user runs it: `node bin/tabella.mjs …` as a child process, on a
// scratch SQLite data directory and on a scratch PostgreSQL schema.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { BIN, cleanEnv, ROOT, tabellaFails, tabellaJson } from '../support/cli.ts';
import { describeEachEngine, type ScratchDatabase, scratchDatabase } from '../support/databases.ts';
import { freePort } from '../support/ports.ts';

describeEachEngine('tabella CLI: organizations, members, tokens', (engine) => {
  let db: ScratchDatabase;
  let where: string[];
  before(async () => {
    db = await scratchDatabase(engine);
    where = engine === 'sqlite' ? ['--data-dir', db.dataDir] : ['--db', db.url];
  });
  after(async () => db.cleanup());

  it('creates, lists and vets organizations, invites a member and creates a token, printing JSON', async () => {
    const vetted = await tabellaJson(
      [
        'org',
        'create',
        '--name',
        'Durham County Board of Elections',
        '--kind',
        'government',
        '--role',
        'election-office',
        '--jurisdiction',
        'us-nc',
        '--vetted',
      ],
      where,
    );
    assert.match(vetted.id, /^org_/);
    assert.equal(vetted.status, 'vetted');
    assert.equal(vetted.jurisdiction, 'US-NC');
    const pending = await tabellaJson(
      ['org', 'create', '--name', 'Pollbook Vendor Inc', '--kind', 'private', '--role', 'vendor'],
      where,
    );
    assert.equal(pending.status, 'pending');

    const list = await tabellaJson(['org', 'list'], where);
    assert.deepEqual(
      list.items.map((o: { id: string; status: string }) => [o.id, o.status]).sort(),
      [
        [vetted.id, 'vetted'],
        [pending.id, 'pending'],
      ].sort(),
    );
    const vet = await tabellaJson(['org', 'vet', pending.id], where);
    assert.equal(vet.id, pending.id);
    assert.equal(vet.status, 'vetted');

    const member = await tabellaJson(
      [
        'member',
        'create',
        '--org',
        vetted.id,
        '--email',
        'Clerk@Durham.example',
        '--role',
        'analyst,responder',
        '--tier',
        '2',
      ],
      where,
    );
    assert.match(member.id, /^mbr_/);
    assert.equal(member.email, 'clerk@durham.example');
    assert.deepEqual(member.roles, ['analyst', 'responder']);
    assert.equal(member.tier, 2);
    assert.equal(member.status, 'invited');
    assert.match(member.invitationUrl, /\/invite\/[A-Za-z0-9_-]{43}$/);

    const byEmail = await tabellaJson(
      ['token', 'create', '--member', 'clerk@durham.example', '--name', 'sensor'],
      where,
    );
    assert.match(byEmail.id, /^tok_/);
    assert.match(byEmail.token, /^tbl_[A-Za-z0-9_-]{43}$/);
    assert.equal(byEmail.memberId, member.id);
    assert.equal(byEmail.name, 'sensor');
    assert.deepEqual(byEmail.scopes, ['read', 'share', 'feeds', 'admin']);
    assert.equal(byEmail.expiresAt, null);

    const scoped = await tabellaJson(
      [
        'token',
        'create',
        '--member',
        member.id,
        '--scopes',
        'feeds,read',
        '--expires',
        '2099-01-01T00:00:00Z',
      ],
      where,
    );
    assert.deepEqual([scoped.scopes, scoped.expiresAt], [['read', 'feeds'], '2099-01-01T00:00:00.000Z']);
  });

  it('fails with exit code 1 and the error code on stderr (bad input, missing, conflict)', async () => {
    const org = await tabellaJson(
      ['org', 'create', '--name', 'Errors County', '--kind', 'government', '--role', 'election-office'],
      where,
    );
    await tabellaJson(
      ['member', 'create', '--org', org.id, '--email', 'taken@errors.example', '--role', 'analyst'],
      where,
    );
    await Promise.all([
      tabellaFails(
        [
          'org',
          'create',
          '--name',
          'Bad J',
          '--kind',
          'government',
          '--role',
          'election-office',
          '--jurisdiction',
          'US-XX',
        ],
        where,
        'INVALID_JURISDICTION',
      ),
      tabellaFails(['org', 'vet', 'org_00000000-0000-4000-8000-000000000000'], where, 'NOT_FOUND'),
      tabellaFails(
        ['member', 'create', '--org', org.id, '--email', 'TAKEN@errors.example', '--role', 'analyst'],
        where,
        'EMAIL_TAKEN',
      ),
      tabellaFails(['token', 'create', '--member', 'nobody@errors.example'], where, 'NOT_FOUND'),
      tabellaFails(
        ['token', 'create', '--member', 'taken@errors.example', '--scopes', 'write'],
        where,
        'VALIDATION_FAILED',
      ),
      tabellaFails(
        ['token', 'create', '--member', 'taken@errors.example', '--expires', '2020-01-01T00:00:00Z'],
        where,
        'VALIDATION_FAILED',
      ),
    ]);
  });
});

function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`server did not start; output: ${seen}`)), timeoutMs);
    const onData = (d: Buffer) => {
      seen += d.toString();
      const m = pattern.exec(seen);
      if (m !== null) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolve(m[0]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (d: Buffer) => {
      seen += d.toString();
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}; output: ${seen}`));
    });
  });
}

describe('tabella serve with the CLI acting on the same data directory while it runs', () => {
  let db: ScratchDatabase;
  let server: ChildProcess | undefined;
  before(async () => {
    db = await scratchDatabase('sqlite');
  });
  after(async () => {
    if (server !== undefined && server.exitCode === null) {
      const exited = new Promise((resolve) => server?.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    await db.cleanup();
  });

  it('sees organizations and tokens created by the CLI through the API', async () => {
    const port = await freePort();
    server = spawn(
      process.execPath,
      [BIN, 'serve', '--port', String(port), '--host', '127.0.0.1', '--data-dir', db.dataDir],
      {
        cwd: ROOT,
        env: cleanEnv(),
      },
    );
    await waitForLine(server, /Tabella is running at \S+/, 30_000);
    const base = `http://127.0.0.1:${port}`;
    assert.deepEqual(await (await fetch(`${base}/healthz`)).json(), { status: 'ok' });

    const where = ['--data-dir', db.dataDir];
    const org = await tabellaJson(
      [
        'org',
        'create',
        '--name',
        'Live County',
        '--kind',
        'government',
        '--role',
        'election-office',
        '--jurisdiction',
        'US-NC',
        '--vetted',
      ],
      where,
    );
    const member = await tabellaJson(
      ['member', 'create', '--org', org.id, '--email', 'live@county.example', '--role', 'analyst'],
      where,
    );
    const token = await tabellaJson(['token', 'create', '--member', member.id, '--name', 'live'], where);

    const me = await fetch(`${base}/api/v1/me`, { headers: { authorization: `Bearer ${token.token}` } });
    assert.equal(me.status, 200);
    const body = (await me.json()) as { member: { id: string }; organization: { id: string; name: string } };
    assert.equal(body.member.id, member.id);
    assert.equal(body.organization.id, org.id);
    const orgs = await fetch(`${base}/api/v1/orgs`, {
      headers: {
        authorization: `Basic ${Buffer.from(`live@county.example:${token.token}`).toString('base64')}`,
      },
    });
    assert.equal(orgs.status, 200);
    const items = ((await orgs.json()) as { items: { id: string; name: string }[] }).items;
    assert.ok(items.some((o) => o.id === org.id && o.name === 'Live County'));

    // A second organization created while it runs shows up too.
    const later = await tabellaJson(
      [
        'org',
        'create',
        '--name',
        'Later County',
        '--kind',
        'government',
        '--role',
        'election-office',
        '--vetted',
      ],
      where,
    );
    const again = await fetch(`${base}/api/v1/orgs/${later.id}`, {
      headers: { authorization: `Bearer ${token.token}` },
    });
    assert.equal(again.status, 200);
  });
});
