// HTTP polish found on the way (issue 10 §7): unknown machine paths answer a coded JSON 404 even
// with the web app built, authenticated answers carry `Cache-Control: no-store`, request logs at
// `info` hold no token or invitation secret, and TAXII tells a client sending a password to use an
// API token.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, it } from 'node:test';
import { issueReset } from '../../src/features/membership/index.ts';
import {
  assertError,
  invitationSecret,
  makeMember,
  makeOrg,
  memberWithPassword,
  memberWithToken,
  operatorOrgId,
  PASSWORD,
  signedIn,
} from '../support/arrange.ts';
import { describeEachEngine } from '../support/databases.ts';
import { Client } from '../support/json-client.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { ROOT, TaxiiClient } from '../support/taxii.ts';

/** A stand-in for `web/dist`, so the index.html fallback is on whether or not the web app was built. */
function fakeWebApp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tabella-web-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><html><body>web app</body></html>');
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log("app");');
  return dir;
}

describeEachEngine('HTTP polish', (engine) => {
  let s: TestServer;
  let web: string;
  let logged = '';
  const logStream = new Writable({
    write(chunk: Buffer, _enc, done) {
      logged += chunk.toString('utf8');
      done();
    },
  });

  before(async () => {
    web = fakeWebApp();
    s = await startTestServer(engine, {}, { webRoot: web, logger: { level: 'info', stream: logStream } });
    await operatorOrgId(s);
  });
  after(async () => {
    await s.close();
    rmSync(web, { recursive: true, force: true });
  });

  it('answers unknown paths under /log/, /api/ and /taxii2/ with a coded JSON 404, other pages with the web app', async () => {
    const c = new Client(s.url);
    for (const path of [
      '/log',
      '/log/',
      '/log/nothing-here',
      '/log/checkpoint/x',
      '/log/tile/x',
      '/api/v1/x',
      '/api/',
    ])
      assertError(await c.get(path), 404, 'NOT_FOUND');
    const taxii = await TaxiiClient.anonymous(s).get('/taxii2/nothing-here/');
    assert.equal(taxii.status, 404);
    assert.equal(taxii.body.error_code, 'NOT_FOUND');
    const page = await fetch(`${s.url}/intel/some-page`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
  });

  it('sends Cache-Control: no-store on answers to authenticated requests — REST, TAXII, exports, errors', async () => {
    const org = await makeOrg(s);
    const a = await memberWithToken(s, org.id);
    const p = await memberWithPassword(s, org.id);
    const browser = await signedIn(s, p.email);
    const bad = new Client(s.url).withToken(`tbl_${'x'.repeat(43)}`);
    const replies: [string, Response | { status: number; headers: Headers }][] = [
      ['token /api/v1/me', await a.api.get('/api/v1/me')],
      ['session /api/v1/me', await browser.get('/api/v1/me')],
      ['session /api/v1/intel', await browser.get('/api/v1/intel')],
      ['token /api/v1/tokens', await a.api.get('/api/v1/tokens')],
      ['token 404 /api/v1/orgs/org_nope', await a.api.get('/api/v1/orgs/org_nope')],
      ['token 404 /api/v1/nothing', await a.api.get('/api/v1/nothing')],
      ['bad token 401 /api/v1/me', await bad.get('/api/v1/me')],
      ['session 400 PATCH /api/v1/orgs', await browser.patch(`/api/v1/orgs/${org.id}`, { name: 7 })],
      ['sign-in', await new Client(s.url).post('/api/v1/session', { email: p.email, password: PASSWORD })],
      ['export ?token=', await fetch(`${s.url}/api/v1/exports/blocklist?kind=ip&token=${a.token}`)],
      ['TAXII collections', await TaxiiClient.basic(s, a.email, a.token).get(`${ROOT}/collections/`)],
      ['TAXII 401', await TaxiiClient.basic(s, a.email, `tbl_${'y'.repeat(43)}`).get(`${ROOT}/`)],
    ];
    for (const [what, r] of replies) {
      assert.ok(r.status < 500, `${what}: ${r.status}`);
      assert.equal(r.headers.get('cache-control'), 'no-store', what);
    }
  });

  it('leaves the public log, the health check and the web app files their own caching, cookie or not', async () => {
    const p = await memberWithPassword(s, await operatorOrgId(s));
    const browser = await signedIn(s, p.email);
    await s.app.tabellaLog.flush();
    const checkpoint = await browser.get('/log/checkpoint');
    assert.equal(checkpoint.status, 200);
    assert.equal(checkpoint.headers.get('cache-control'), 'no-cache');
    const tile = await browser.get('/log/tile/0/000.p/1');
    assert.equal(tile.status, 200);
    assert.match(tile.headers.get('cache-control') ?? '', /^(no-cache|public, max-age=31536000, immutable)$/);
    const health = await browser.get('/healthz');
    assert.equal(health.headers.get('cache-control'), null);
    const asset = await browser.get('/assets/app.js');
    assert.equal(asset.status, 200);
    assert.match(asset.headers.get('cache-control') ?? '', /^public/);
  });

  it('writes request lines at info with tokens, passwords, invitation and reset secrets redacted', async () => {
    const org = await makeOrg(s);
    const a = await memberWithToken(s, org.id);
    const invited = await makeMember(s, org.id, { invitedOnly: true });
    const secret = invitationSecret(invited.invitationUrl);
    const other = await makeMember(s, org.id, { invitedOnly: true });
    const otherSecret = invitationSecret(other.invitationUrl);
    const reset = invitationSecret((await issueReset(s.cli, a.member.id, { password: true })).resetUrl);
    const password = 'Tr0ub4dor&3-not-logged';
    const anon = new Client(s.url);
    const before = logged.length;
    await fetch(`${s.url}/api/v1/exports/blocklist?kind=ip&token=${a.token}`);
    await fetch(`${s.url}/api/v1/exports/csv?TOKEN=${encodeURIComponent(a.token)}&kind=ip`);
    assert.equal((await anon.get(`/api/v1/invitations/${secret}`)).status, 200);
    await anon.post(`/api/v1/invitations/${otherSecret}`, { password: 'x' });
    await fetch(`${s.url}/invite/${secret}`);
    assert.equal((await anon.get(`/api/v1/resets/${reset}`)).status, 200);
    await fetch(`${s.url}/reset/${reset}`);
    await fetch(
      `${s.url}/api/v1/me?password=${encodeURIComponent(password)}&secret=s3cr3t-value&code=123456`,
    );
    await new Promise((r) => setImmediate(r));
    const lines = logged.slice(before);
    for (const [what, value] of [
      ['API token', a.token],
      ['invitation secret', secret],
      ['invitation secret (accept)', otherSecret],
      ['reset secret', reset],
      ['password', encodeURIComponent(password)],
      ['secret', 's3cr3t-value'],
      ['code', '123456'],
    ] as const)
      assert.ok(!lines.includes(value), `the log holds the ${what}`);
    // The requests were logged, only redacted: a logger that wrote nothing would not pass.
    const urls = lines
      .split('\n')
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { req?: { url?: string } }).req?.url)
      .filter((u) => u !== undefined);
    for (const expected of [
      '/api/v1/exports/blocklist?kind=ip&token=[redacted]',
      '/api/v1/exports/csv?TOKEN=[redacted]&kind=ip',
      '/api/v1/invitations/[redacted]',
      '/invite/[redacted]',
      '/api/v1/resets/[redacted]',
      '/reset/[redacted]',
      '/api/v1/me?password=[redacted]&secret=[redacted]&code=[redacted]',
    ])
      assert.ok(urls.includes(expected), `${expected} in ${JSON.stringify(urls)}`);
  });

  it('answers TAXII sign-in with an account password TOKEN_INVALID, pointing at API tokens', async () => {
    const org = await makeOrg(s);
    const p = await memberWithPassword(s, org.id);
    for (const client of [
      TaxiiClient.basic(s, p.email, PASSWORD),
      new TaxiiClient(s.url, `Bearer ${PASSWORD}`),
    ]) {
      const r = await client.get(`${ROOT}/collections/`);
      assert.equal(r.status, 401);
      assert.equal(r.body.error_code, 'TOKEN_INVALID');
      // The finding is the missing pointer, so the pointer (the API tokens page) is what is checked.
      assert.match(r.body.description, /API token/);
      assert.match(r.body.description, /\/tokens\b/);
    }
  });
});
