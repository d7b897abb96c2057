// Issue 11 §2: one-time reset links (24 h) that an organization's admins issue for its members and
// the operator's admins for anyone; issuing and using one signs the member out everywhere.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import {
  type AuditRow,
  anonymous,
  assertError,
  auditMark,
  invitationSecret,
  makeMember,
  makeOrg,
  makeToken,
  memberWithPassword,
  memberWithToken,
  operatorAdmin,
  PASSWORD,
  signedIn,
  snapshot,
  startWithOperator,
  trustForwardedFor,
} from '../support/arrange.ts';
import { describeEachEngine } from '../support/databases.ts';
import { Client } from '../support/json-client.ts';
import type { TestServer } from '../support/server.ts';
import { totp } from '../support/totp.ts';

trustForwardedFor();

const NEW_PASSWORD = 'a brand new passphrase here';
async function sessionsOf(s: TestServer, memberId: string): Promise<number> {
  return (await s.db.kysely.selectFrom('sessions').select('id').where('member_id', '=', memberId).execute())
    .length;
}

const events = (rows: readonly AuditRow[], action: string, subject: string) =>
  rows.filter((e) => e.action === action && e.subject_id === subject);

describeEachEngine('reset links', (engine) => {
  let s: TestServer;
  before(async () => {
    s = await startWithOperator(engine);
  });
  after(async () => s.close());

  const reset = (api: Client, memberId: string, body: Record<string, boolean>) =>
    api.post(`/api/v1/members/${memberId}/reset`, body);
  const linkPath = (url: string) => `/api/v1/resets/${invitationSecret(url)}`;

  it("an org admin's password reset: sessions end, the member sets a new password once, then signs in", async () => {
    const org = await makeOrg(s);
    const admin = await memberWithToken(s, org.id, { roles: ['admin'] });
    const person = await memberWithPassword(s, org.id);
    const browser = await signedIn(s, person.email);
    const token = await makeToken(s, person.member.id);
    // Accepting the invitation signed them in once, and so did `signedIn`.
    const open = await sessionsOf(s, person.member.id);
    assert.equal(open, 2);
    const since = await auditMark(s);

    const issued = await reset(admin.api, person.member.id, { password: true });
    assert.equal(issued.status, 201, JSON.stringify(issued.body));
    assert.equal(issued.body.password, true);
    assert.equal(issued.body.mfa, false);
    assert.equal(issued.body.sessionsEnded, open);
    assert.equal(await sessionsOf(s, person.member.id), 0);
    assert.equal(issued.body.tokensRevoked, 0);
    assert.ok(issued.body.resetUrl.startsWith(`${s.config.publicUrl}/reset/`));
    assert.equal(issued.body.expiresAt, new Date(s.clock.now() + 24 * 3600_000).toISOString());
    // Signed out everywhere; the token was not asked to go, so it stays.
    assertError(await browser.get('/api/v1/me'), 401, 'SESSION_EXPIRED');
    assert.equal((await new Client(s.url).withToken(token).get('/api/v1/me')).status, 200);
    // Only the link's digest is stored.
    const secret = invitationSecret(issued.body.resetUrl);
    const stored = JSON.stringify(await s.db.kysely.selectFrom('reset_links').selectAll().execute());
    assert.ok(!stored.includes(secret));

    const visitor = anonymous(s);
    const seen = await visitor.get(linkPath(issued.body.resetUrl));
    assert.equal(seen.status, 200);
    assert.equal(seen.body.email, person.email);
    assert.equal(seen.body.password, true);
    assert.equal(seen.body.mfa, false);

    // A session opened after the link was issued ends when it is used.
    const later = await signedIn(s, person.email);
    assertError(await visitor.post(linkPath(issued.body.resetUrl), {}), 400, 'VALIDATION_FAILED', [
      'password',
    ]);
    assertError(
      await visitor.post(linkPath(issued.body.resetUrl), { password: 'short' }),
      400,
      'WEAK_PASSWORD',
    );
    const used = await visitor.post(linkPath(issued.body.resetUrl), { password: NEW_PASSWORD });
    assert.equal(used.status, 200, JSON.stringify(used.body));
    assert.deepEqual(used.body, { password: true, mfa: false, mfaEnrollmentRequired: false });
    assert.equal(used.headers.get('set-cookie'), null, 'using a link signs nobody in');
    assertError(await later.get('/api/v1/me'), 401, 'SESSION_EXPIRED');

    // One-time.
    assertError(
      await visitor.post(linkPath(issued.body.resetUrl), { password: NEW_PASSWORD }),
      410,
      'RESET_LINK_INVALID',
    );
    assertError(await visitor.get(linkPath(issued.body.resetUrl)), 410, 'RESET_LINK_INVALID');
    assertError(
      await new Client(s.url).post('/api/v1/session', { email: person.email, password: PASSWORD }),
      401,
      'INVALID_CREDENTIALS',
    );
    assert.equal((await signedIn(s, person.email, NEW_PASSWORD)).cookie !== undefined, true);

    const rows = await since();
    const [issue] = events(rows, 'member.reset.issue', person.member.id);
    assert.equal(issue?.actor_id, admin.member.id);
    assert.deepEqual(
      { ...JSON.parse(issue?.details ?? '{}'), tokenId: undefined },
      {
        tokenId: undefined,
        password: true,
        mfa: false,
        revokeTokens: false,
        replaced: 0,
        sessions: 2,
        tokens: 0,
      },
    );
    const [use] = events(rows, 'member.reset.use', person.member.id);
    assert.deepEqual(JSON.parse(use?.details ?? '{}'), {
      password: true,
      mfa: false,
      sessions: 1,
      tokens: 0,
    });
  });

  it('revokes the API tokens when asked, at issue and again at use', async () => {
    const org = await makeOrg(s);
    const admin = await memberWithToken(s, org.id, { roles: ['admin'] });
    const person = await memberWithToken(s, org.id);
    const issued = await reset(admin.api, person.member.id, { mfa: true, revokeTokens: true });
    assert.equal(issued.status, 201);
    assert.equal(issued.body.tokensRevoked, 1);
    assertError(await person.api.get('/api/v1/me'), 401, 'TOKEN_INVALID');
    const fresh = new Client(s.url).withToken(await makeToken(s, person.member.id));
    const used = await anonymous(s).post(linkPath(issued.body.resetUrl), {});
    assert.equal(used.status, 200, JSON.stringify(used.body));
    assertError(await fresh.get('/api/v1/me'), 401, 'TOKEN_INVALID');
  });

  it('expires after 24 hours', async () => {
    const org = await makeOrg(s);
    const admin = await memberWithToken(s, org.id, { roles: ['admin'] });
    const person = await memberWithToken(s, org.id);
    const a = await reset(admin.api, person.member.id, { password: true });
    s.clock.advance(24 * 3600_000 - 1000);
    assert.equal((await anonymous(s).get(linkPath(a.body.resetUrl))).status, 200);
    s.clock.advance(1000);
    const before = await snapshot(s);
    assertError(await anonymous(s).get(linkPath(a.body.resetUrl)), 410, 'RESET_LINK_INVALID');
    assertError(
      await anonymous(s).post(linkPath(a.body.resetUrl), { password: NEW_PASSWORD }),
      410,
      'RESET_LINK_INVALID',
    );
    assert.deepEqual(await snapshot(s), before);
  });

  it('a newer link replaces an unused older one', async () => {
    const org = await makeOrg(s);
    const admin = await memberWithToken(s, org.id, { roles: ['admin'] });
    const person = await memberWithToken(s, org.id);
    const older = await reset(admin.api, person.member.id, { password: true });
    const newer = await reset(admin.api, person.member.id, { password: true, mfa: true });
    assert.equal(newer.status, 201);
    assertError(
      await anonymous(s).post(linkPath(older.body.resetUrl), { password: NEW_PASSWORD }),
      410,
      'RESET_LINK_INVALID',
    );
    assert.equal(
      (await anonymous(s).post(linkPath(newer.body.resetUrl), { password: NEW_PASSWORD })).status,
      200,
    );
  });

  it('6 links issued at once leave exactly one live', async () => {
    const org = await makeOrg(s);
    const admin = await memberWithToken(s, org.id, { roles: ['admin'] });
    const person = await memberWithToken(s, org.id);
    const replies = await Promise.all(
      Array.from({ length: 6 }, () => reset(admin.api, person.member.id, { password: true })),
    );
    assert.ok(replies.every((r) => r.status === 201));
    const live = await s.db.kysely
      .selectFrom('reset_links')
      .select('id')
      .where('member_id', '=', person.member.id)
      .where('revoked_at', 'is', null)
      .execute();
    assert.equal(live.length, 1);
  });

  it('8 parallel uses of one link: exactly one succeeds', async () => {
    const org = await makeOrg(s);
    const admin = await memberWithToken(s, org.id, { roles: ['admin'] });
    const person = await memberWithToken(s, org.id);
    const issued = await reset(admin.api, person.member.id, { mfa: true });
    const since = await auditMark(s);
    const replies = await Promise.all(
      Array.from({ length: 8 }, () => anonymous(s).post(linkPath(issued.body.resetUrl), {})),
    );
    assert.equal(replies.filter((r) => r.status === 200).length, 1);
    for (const r of replies.filter((r) => r.status !== 200)) assertError(r, 410, 'RESET_LINK_INVALID');
    assert.equal(events(await since(), 'member.reset.use', person.member.id).length, 1);
  });

  it('only allowed admins issue: 404 for members they cannot see, 403 for those they see but may not reset', async () => {
    const org = await makeOrg(s);
    const other = await makeOrg(s);
    const admin = await memberWithToken(s, org.id, { roles: ['admin'] });
    const fellowAdmin = await memberWithToken(s, org.id, { roles: ['admin'] });
    const analyst = await memberWithToken(s, org.id);
    const outsider = await memberWithToken(s, other.id, { roles: ['admin'] });
    const invitee = await makeMember(s, org.id, { invitedOnly: true });
    const before = await snapshot(s);

    assertError(await reset(outsider.api, analyst.member.id, { password: true }), 404, 'NOT_FOUND');
    assertError(await reset(admin.api, 'mbr_no-such-member', { password: true }), 404, 'NOT_FOUND');
    assertError(await reset(analyst.api, fellowAdmin.member.id, { password: true }), 403, 'FORBIDDEN');
    // An organization's admins do not reset each other (nor themselves): the operator's admins do.
    assertError(await reset(admin.api, fellowAdmin.member.id, { password: true }), 403, 'FORBIDDEN');
    assertError(await reset(admin.api, admin.member.id, { password: true }), 403, 'FORBIDDEN');
    assertError(await reset(admin.api, analyst.member.id, {}), 400, 'VALIDATION_FAILED', ['password', 'mfa']);
    assertError(
      await reset(admin.api, analyst.member.id, { password: true, extra: true }),
      400,
      'VALIDATION_FAILED',
    );
    assertError(await reset(admin.api, invitee.member.id, { password: true }), 409, 'CONFLICT');
    assert.deepEqual(await snapshot(s), before);

    const operator = await operatorAdmin(s);
    assert.equal((await reset(operator.api, fellowAdmin.member.id, { password: true })).status, 201);
    assert.equal((await reset(operator.api, analyst.member.id, { mfa: true })).status, 201);
    assertError(await reset(operator.api, operator.member.id, { mfa: true }), 403, 'FORBIDDEN');
  });

  it("the operator resets an admin's MFA: codes go, and the admin enrolls again at the next sign-in", async () => {
    const org = await makeOrg(s);
    const person = await memberWithPassword(s, org.id, ['admin']);
    const browser = await signedIn(s, person.email);
    const secret: string = (await browser.post('/api/v1/me/mfa')).body.secret;
    const confirmed = await browser.post('/api/v1/me/mfa/confirm', { code: totp(secret, s.clock.now()) });
    assert.equal(confirmed.body.recoveryCodes.length, 10);
    s.clock.advance(30_000);
    // Locked out by wrong codes, too: the reset clears it.
    for (let i = 0; i < 5; i++)
      await new Client(s.url).post('/api/v1/session', {
        email: person.email,
        password: PASSWORD,
        totp: '000000',
      });

    const operator = await operatorAdmin(s);
    const issued = await reset(operator.api, person.member.id, { mfa: true });
    assert.equal(issued.status, 201);
    const seen = await anonymous(s).get(linkPath(issued.body.resetUrl));
    assert.equal(seen.body.mfa, true);
    assert.equal(seen.body.mfaRequired, true);
    const used = await anonymous(s).post(linkPath(issued.body.resetUrl), {});
    assert.deepEqual(used.body, { password: false, mfa: true, mfaEnrollmentRequired: true });
    const left = await s.db.kysely
      .selectFrom('recovery_codes')
      .select('id')
      .where('member_id', '=', person.member.id)
      .execute();
    assert.equal(left.length, 0);

    const again = await new Client(s.url).post('/api/v1/session', {
      email: person.email,
      password: PASSWORD,
    });
    assert.equal(again.status, 200, JSON.stringify(again.body));
    assert.equal(again.body.mfaEnrollmentRequired, true);
    assert.equal(again.body.member.mfaEnabled, false);
  });
});
