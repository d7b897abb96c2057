// Issue 11 §4: first-run setup over HTTP needs the one-time code the server printed and wrote to
// <data dir>/setup-code (mode 0600); wrong codes are counted against the address, and setup spends it.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { after, before, it } from 'node:test';
import { prepareSetupCode, setupCodeFile } from '../../src/features/membership/setup-code.ts';
import {
  anonymous,
  assertError,
  auditMark,
  PASSWORD,
  snapshot,
  trustForwardedFor,
  uniqueEmail,
} from '../support/arrange.ts';
import { describeEachEngine } from '../support/databases.ts';
import { Client } from '../support/json-client.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const body = (setupCode?: string) => ({
  ...(setupCode === undefined ? {} : { setupCode }),
  organization: { name: 'Setup Code ISAC', kind: 'nonprofit', jurisdiction: 'US-NC' },
  admin: { email: uniqueEmail('operator'), displayName: 'Op', password: PASSWORD },
});

const storedHash = async (s: TestServer) =>
  (
    await s.db.kysely
      .selectFrom('settings')
      .select('value')
      .where('key', '=', 'setup.code')
      .executeTakeFirst()
  )?.value;

describeEachEngine('first-run setup code', (engine) => {
  let s: TestServer;
  before(async () => {
    trustForwardedFor();
    s = await startTestServer(engine, { TABELLA_AUTH_FAILURES_PER_ADDRESS: '3' });
  });
  after(async () => s.close());

  it('is written to <data dir>/setup-code, mode 0600, and only its hash is stored', async () => {
    assert.match(s.setupCode, /^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){3}$/);
    const file = setupCodeFile(s.config.dataDir);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(readFileSync(file, 'utf8').trim(), s.setupCode);
    const hash = await storedHash(s);
    assert.match(hash ?? '', /^[0-9a-f]{64}$/);
    assert.ok(!hash?.includes(s.setupCode));
    // A restart on the same data directory keeps the code; another node's start does not replace it.
    assert.deepEqual(await prepareSetupCode(s.cli), { kind: 'issued', code: s.setupCode, file });
    assert.deepEqual(
      await prepareSetupCode({
        ...s.cli,
        config: { ...s.config, dataDir: `${s.config.dataDir}/other-node` },
      }),
      {
        kind: 'elsewhere',
      },
    );
    assert.equal(await storedHash(s), hash);
  });

  it('refuses setup without the code (400) or with a wrong one (403 SETUP_CODE_INVALID), changing nothing but the audit', async () => {
    const before = await snapshot(s);
    const since = await auditMark(s);
    assertError(await anonymous(s).post('/api/v1/setup', body()), 400, 'VALIDATION_FAILED', ['setupCode']);
    assertError(
      await anonymous(s).post('/api/v1/setup', body('AAAAA-BBBBB-CCCCC-DDDDD')),
      403,
      'SETUP_CODE_INVALID',
      ['setupCode'],
    );
    assertError(
      await anonymous(s).post('/api/v1/setup', body(s.setupCode.slice(0, -1))),
      403,
      'SETUP_CODE_INVALID',
    );
    assert.deepEqual(
      (await since()).map((e) => e.action),
      ['setup.fail', 'setup.fail'],
    );
    const after = await snapshot(s);
    assert.equal(after.organizations, before.organizations);
    assert.equal(after.members, before.members);
    assert.equal(after.sessions, before.sessions);
    assert.deepEqual((await new Client(s.url).get('/api/v1/setup')).body, { needed: true });
  });

  it('stops guessing at the address budget: even the right code is then 429 RATE_LIMITED', async () => {
    const guesser = anonymous(s);
    for (let i = 0; i < 3; i++)
      assertError(await guesser.post('/api/v1/setup', body(`WRONG-${i}`)), 403, 'SETUP_CODE_INVALID');
    const limited = await guesser.post('/api/v1/setup', body(s.setupCode));
    assertError(limited, 429, 'RATE_LIMITED');
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
  });

  it('accepts the right code (case and dashes do not matter), then deletes the file and the hash: the code is spent', async () => {
    const typed = s.setupCode.toLowerCase().replace(/-/g, ' ');
    const done = await anonymous(s).post('/api/v1/setup', body(typed));
    assert.equal(done.status, 201, JSON.stringify(done.body));
    assert.equal(done.body.organization.isOperator, true);
    assert.equal(existsSync(setupCodeFile(s.config.dataDir)), false);
    assert.equal(await storedHash(s), undefined);
    assertError(await anonymous(s).post('/api/v1/setup', body(s.setupCode)), 409, 'SETUP_ALREADY_DONE');
    // A later start makes no code.
    assert.deepEqual(await prepareSetupCode(s.cli), { kind: 'done' });
  });
});

describeEachEngine('first-run setup code: tabella setup-code', (engine) => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer(engine);
  });
  after(async () => s.close());

  it('replaces the code in force; the old one stops working', async () => {
    const fresh = await prepareSetupCode(s.cli, true);
    assert.equal(fresh.kind, 'issued');
    assert.ok(fresh.kind === 'issued' && fresh.code !== s.setupCode);
    assertError(await new Client(s.url).post('/api/v1/setup', body(s.setupCode)), 403, 'SETUP_CODE_INVALID');
    const ok = await new Client(s.url).post('/api/v1/setup', body(fresh.kind === 'issued' ? fresh.code : ''));
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
  });
});
