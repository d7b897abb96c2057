import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, it } from 'node:test';
import {
  anonymous,
  assertError,
  invitationSecret,
  makeOrg,
  memberWithToken,
  PASSWORD,
  snapshot,
  startWithOperator,
  trustForwardedFor,
  uniqueEmail,
} from '../support/arrange.ts';
import { describeEachEngine } from '../support/databases.ts';
import type { TestServer } from '../support/server.ts';

trustForwardedFor();

describeEachEngine('invitations', (engine) => {
  let s: TestServer;
  before(async () => {
    s = await startWithOperator(engine);
  });
  after(async () => s.close());

  async function invite(roles: string[] = ['analyst']) {
    const org = await makeOrg(s);
    const admin = await memberWithToken(s, org.id, { roles: ['admin'] });
    const email = uniqueEmail('invitee');
    const r = await admin.api.post(`/api/v1/orgs/${org.id}/members`, { email, displayName: 'Ivy', roles });
    assert.equal(r.status, 201);
    return { org, admin, email, member: r.body.member, url: r.body.invitationUrl as string };
  }

  it('accepting an invitation sets the password, activates the member and signs them in; the link is then spent', async () => {
    const inv = await invite();
    assert.match(inv.url, /^http:\/\/[^/]+\/invite\/[A-Za-z0-9_-]{43}$/);
    const secret = invitationSecret(inv.url);
    const stored = await s.db.kysely
      .selectFrom('invitations')
      .selectAll()
      .where('member_id', '=', inv.member.id)
      .executeTakeFirstOrThrow();
    assert.equal(stored.token_hash, createHash('sha256').update(secret).digest('hex'));
    assert.ok(!Object.values(stored).includes(secret));

    const anon = anonymous(s);
    const look = await anon.get(`/api/v1/invitations/${secret}`);
    assert.equal(look.status, 200);
    assert.deepEqual(look.body, {
      email: inv.email,
      displayName: 'Ivy',
      organizationName: inv.org.name,
      mfaRequired: false,
    });

    const browser = anonymous(s);
    const accepted = await browser.post(`/api/v1/invitations/${secret}`, {
      password: PASSWORD,
      displayName: 'Ivy Lee',
    });
    assert.equal(accepted.status, 200);
    assert.match(accepted.headers.get('set-cookie') ?? '', /tabella_session=.+HttpOnly/i);
    assert.equal(accepted.body.member.id, inv.member.id);
    assert.equal(accepted.body.member.status, 'active');
    assert.equal(accepted.body.member.displayName, 'Ivy Lee');
    assert.equal(accepted.body.mfaEnrollmentRequired, false);
    const me = await browser.get('/api/v1/me');
    assert.equal(me.status, 200);
    assert.equal(me.body.authenticatedBy, 'session');
    assert.equal(me.body.organization.id, inv.org.id);
    assert.equal((await browser.post('/api/v1/tokens', { name: 'first token' })).status, 201);

    // Spent: neither readable nor usable again, and the replay changes nothing.
    const before = await snapshot(s);
    assertError(await anon.get(`/api/v1/invitations/${secret}`), 410, 'INVITATION_INVALID');
    const again = await anonymous(s).post(`/api/v1/invitations/${secret}`, {
      password: 'someone else entirely',
    });
    assertError(again, 410, 'INVITATION_INVALID');
    assert.equal(again.headers.get('set-cookie'), null);
    assert.deepEqual(await snapshot(s), before);

    // The password chosen at acceptance signs in; the replayed one does not.
    const signIn = await anonymous(s).post('/api/v1/session', { email: inv.email, password: PASSWORD });
    assert.equal(signIn.status, 200);
  });

  it('an invited admin is told MFA is required and must enroll before anything else', async () => {
    const inv = await invite(['admin']);
    const secret = invitationSecret(inv.url);
    assert.equal((await anonymous(s).get(`/api/v1/invitations/${secret}`)).body.mfaRequired, true);
    const browser = anonymous(s);
    const accepted = await browser.post(`/api/v1/invitations/${secret}`, { password: PASSWORD });
    assert.equal(accepted.status, 200);
    assert.equal(accepted.body.mfaEnrollmentRequired, true);
    assertError(await browser.get('/api/v1/orgs'), 403, 'MFA_ENROLLMENT_REQUIRED');
    assertError(await browser.post('/api/v1/tokens', { name: 'x' }), 403, 'MFA_ENROLLMENT_REQUIRED');
    assert.equal((await browser.get('/api/v1/me')).status, 200);
  });

  it('an expired link is 410 INVITATION_INVALID and changes nothing', async () => {
    const inv = await invite();
    const secret = invitationSecret(inv.url);
    const week = 7 * 24 * 3600 * 1000;
    s.clock.advance(week - 1_000);
    assert.equal((await anonymous(s).get(`/api/v1/invitations/${secret}`)).status, 200);
    s.clock.advance(1_000);
    const before = await snapshot(s);
    assertError(await anonymous(s).get(`/api/v1/invitations/${secret}`), 410, 'INVITATION_INVALID');
    assertError(
      await anonymous(s).post(`/api/v1/invitations/${secret}`, { password: PASSWORD }),
      410,
      'INVITATION_INVALID',
    );
    assert.deepEqual(await snapshot(s), before);
    assert.equal((await inv.admin.api.get(`/api/v1/members/${inv.member.id}`)).body.status, 'invited');
  });

  it('an unknown link is 410 INVITATION_INVALID', async () => {
    const before = await snapshot(s);
    for (const secret of ['nope', 'A'.repeat(43)]) {
      assertError(await anonymous(s).get(`/api/v1/invitations/${secret}`), 410, 'INVITATION_INVALID');
      assertError(
        await anonymous(s).post(`/api/v1/invitations/${secret}`, { password: PASSWORD }),
        410,
        'INVITATION_INVALID',
      );
    }
    assert.deepEqual(await snapshot(s), before);
  });

  it('a weak password leaves the link unspent (400 WEAK_PASSWORD); bad fields are named', async () => {
    const inv = await invite();
    const secret = invitationSecret(inv.url);
    const before = await snapshot(s);
    assertError(
      await anonymous(s).post(`/api/v1/invitations/${secret}`, { password: 'short' }),
      400,
      'WEAK_PASSWORD',
      ['password'],
    );
    assertError(
      await anonymous(s).post(`/api/v1/invitations/${secret}`, { password: PASSWORD, roles: ['admin'] }),
      400,
      'VALIDATION_FAILED',
      ['roles'],
    );
    assert.deepEqual(await snapshot(s), before);
    assert.equal(
      (await anonymous(s).post(`/api/v1/invitations/${secret}`, { password: PASSWORD })).status,
      200,
    );
  });

  it('two racing acceptances of one link: exactly one wins', async () => {
    const inv = await invite();
    const secret = invitationSecret(inv.url);
    const [a, b] = await Promise.all([
      anonymous(s).post(`/api/v1/invitations/${secret}`, { password: PASSWORD }),
      anonymous(s).post(`/api/v1/invitations/${secret}`, { password: 'the other racer password' }),
    ]);
    assert.deepEqual([a.status, b.status].sort(), [200, 410]);
    const loser = a.status === 410 ? a : b;
    assert.equal(loser.body.code, 'INVITATION_INVALID');
    const sessions = await s.db.kysely
      .selectFrom('sessions')
      .select('id')
      .where('member_id', '=', inv.member.id)
      .execute();
    assert.equal(sessions.length, 1);
  });
});
