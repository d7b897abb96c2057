import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { ApiClient } from '../support/client.ts';
import { describeEachEngine } from '../support/databases.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { totp } from '../support/totp.ts';

const SETUP = {
  organization: { name: 'Test State ISAC', kind: 'nonprofit', jurisdiction: 'US-NC' },
  admin: { email: 'Admin@Example.org', displayName: 'Ada Admin', password: 'correct horse battery staple' },
};

describeEachEngine('first-run setup, MFA enrollment and sign-in', (engine) => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer(engine);
  });
  after(async () => s.close());

  it('opens setup once, forces the admin through MFA, then signs in with password and TOTP', async () => {
    const browser = new ApiClient(s.url);
    assert.deepEqual((await browser.get('/api/v1/setup')).body, { needed: true });

    const created = await browser.post('/api/v1/setup', { ...SETUP, setupCode: s.setupCode });
    assert.equal(created.status, 201);
    assert.equal(created.body.mfaEnrollmentRequired, true);
    assert.equal(created.body.organization.role, 'isac-operator');
    assert.equal(created.body.organization.status, 'vetted');
    assert.equal(created.body.member.email, 'admin@example.org');
    assert.match(created.headers.get('set-cookie') ?? '', /HttpOnly/i);
    assert.match(created.headers.get('set-cookie') ?? '', /SameSite=Strict/i);

    // Setup cannot be replayed, by anyone.
    const replay = await new ApiClient(s.url).post('/api/v1/setup', { ...SETUP, setupCode: s.setupCode });
    assert.equal(replay.status, 409);
    assert.equal(replay.body.code, 'SETUP_ALREADY_DONE');
    assert.deepEqual((await browser.get('/api/v1/setup')).body, { needed: false });

    // Until MFA is enrolled, the admin may do nothing else.
    const blocked = await browser.get('/api/v1/orgs');
    assert.equal(blocked.status, 403);
    assert.equal(blocked.body.code, 'MFA_ENROLLMENT_REQUIRED');

    const enroll = await browser.post('/api/v1/me/mfa');
    assert.equal(enroll.status, 201);
    assert.match(enroll.body.otpauthUri, /^otpauth:\/\/totp\//);
    assert.match(enroll.body.qrSvg, /^<svg/);
    const wrong = await browser.post('/api/v1/me/mfa/confirm', {
      code: '000000' === totp(enroll.body.secret, s.clock.now()) ? '111111' : '000000',
    });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.code, 'INVALID_TOTP');
    const confirm = await browser.post('/api/v1/me/mfa/confirm', {
      code: totp(enroll.body.secret, s.clock.now()),
    });
    assert.equal(confirm.status, 200);
    assert.equal((await browser.get('/api/v1/orgs')).status, 200);

    // A new browser: password alone is not enough any more.
    const other = new ApiClient(s.url);
    const noCode = await other.post('/api/v1/session', {
      email: SETUP.admin.email,
      password: SETUP.admin.password,
    });
    assert.equal(noCode.status, 401);
    assert.equal(noCode.body.code, 'MFA_REQUIRED');
    // The code used at enrollment cannot be replayed.
    const replayed = await other.post('/api/v1/session', {
      email: SETUP.admin.email,
      password: SETUP.admin.password,
      totp: totp(enroll.body.secret, s.clock.now()),
    });
    assert.equal(replayed.status, 401);
    assert.equal(replayed.body.code, 'INVALID_CREDENTIALS');
    s.clock.advance(30_000);
    const ok = await other.post('/api/v1/session', {
      email: SETUP.admin.email,
      password: SETUP.admin.password,
      totp: totp(enroll.body.secret, s.clock.now()),
    });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.mfaEnrollmentRequired, false);
    const me = await other.get('/api/v1/me');
    assert.equal(me.status, 200);
    assert.equal(me.body.authenticatedBy, 'session');
    assert.deepEqual(me.body.member.roles, ['admin']);
  });
});
