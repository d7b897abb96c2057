import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import {
  makeOrg,
  memberWithPassword,
  memberWithToken,
  operatorAdmin,
  PASSWORD,
  signedIn,
  snapshot,
  startWithOperator,
} from '../support/arrange.ts';
import { describeEachEngine } from '../support/databases.ts';
import { Client } from '../support/json-client.ts';
import type { TestServer } from '../support/server.ts';

describeEachEngine('suspended members and organizations', (engine) => {
  let s: TestServer;
  before(async () => {
    s = await startWithOperator(engine);
  });
  after(async () => s.close());

  it('a suspended member is refused everywhere at once (403 MEMBER_SUSPENDED) until reinstated', async () => {
    const org = await makeOrg(s);
    const admin = await memberWithToken(s, org.id, { roles: ['admin'] });
    const person = await memberWithPassword(s, org.id);
    const browser = await signedIn(s, person.email);
    const token = new Client(s.url).withToken(
      (await browser.post('/api/v1/tokens', { name: 'script' })).body.token,
    );
    assert.equal((await token.get('/api/v1/me')).status, 200);

    const suspended = await admin.api.patch(`/api/v1/members/${person.member.id}`, { status: 'suspended' });
    assert.equal(suspended.status, 200);
    assert.equal(suspended.body.status, 'suspended');

    const viaToken = await token.get('/api/v1/me');
    assert.equal(viaToken.status, 403);
    assert.equal(viaToken.body.code, 'MEMBER_SUSPENDED');
    const writeViaToken = await token.post('/api/v1/tokens', { name: 'another' });
    assert.equal(writeViaToken.status, 403);
    assert.equal(writeViaToken.body.code, 'MEMBER_SUSPENDED');
    // Their browser session ended with the suspension.
    const viaSession = await browser.get('/api/v1/me');
    assert.equal(viaSession.status, 401);
    assert.equal(viaSession.body.code, 'SESSION_EXPIRED');

    const before = await snapshot(s);
    const signIn = await new Client(s.url).post('/api/v1/session', {
      email: person.email,
      password: PASSWORD,
    });
    assert.equal(signIn.status, 403);
    assert.equal(signIn.body.code, 'MEMBER_SUSPENDED');
    assert.equal(signIn.headers.get('set-cookie'), null);
    const after = await snapshot(s);
    assert.equal(after.sessions, before.sessions, 'no session is created for a suspended member');

    // A wrong password says nothing about the suspension.
    const wrong = await new Client(s.url).post('/api/v1/session', {
      email: person.email,
      password: 'not the password at all',
    });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.code, 'INVALID_CREDENTIALS');

    const reinstated = await admin.api.patch(`/api/v1/members/${person.member.id}`, { status: 'active' });
    assert.equal(reinstated.status, 200);
    assert.equal(reinstated.body.status, 'active');
    assert.equal((await token.get('/api/v1/me')).status, 200);
    assert.equal((await signedIn(s, person.email).then((c) => c.get('/api/v1/me'))).status, 200);
  });

  it("a suspended organization's sessions end; its tokens are refused (403 ORG_SUSPENDED) until it is vetted again", async () => {
    const org = await makeOrg(s);
    const bystanderOrg = await makeOrg(s);
    const bystander = await memberWithToken(s, bystanderOrg.id);
    const person = await memberWithPassword(s, org.id);
    const browser = await signedIn(s, person.email);
    const admin = await memberWithToken(s, org.id, { roles: ['admin'] });
    const op = await operatorAdmin(s);

    const otherBrowser = await signedIn(s, person.email);
    const sessionsOf = async () =>
      Number(
        (
          await s.db.kysely
            .selectFrom('sessions')
            .innerJoin('members', 'members.id', 'sessions.member_id')
            .where('members.org_id', '=', org.id)
            .select((eb) => eb.fn.countAll<number | string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    // Accepting the invitation signed the member in too, besides the two browsers.
    const live = await sessionsOf();
    assert.ok(live >= 2);
    assert.equal((await op.api.patch(`/api/v1/orgs/${org.id}`, { status: 'suspended' })).status, 200);
    assert.equal(await sessionsOf(), 0, 'suspension deletes every session of the organization');
    const [event] = await s.db.kysely
      .selectFrom('audit_events')
      .select('details')
      .where('action', '=', 'org.status')
      .where('subject_id', '=', org.id)
      .orderBy('id', 'desc')
      .limit(1)
      .execute();
    assert.equal(JSON.parse(event?.details ?? '{}').sessions, live);

    for (const [session, label] of [
      [browser, 'session read'],
      [otherBrowser, 'other session'],
    ] as const) {
      const r = await session.get('/api/v1/me');
      assert.equal(r.status, 401, label);
      assert.equal(r.body.code, 'SESSION_EXPIRED', label);
    }

    for (const [label, r] of [
      ['token read', await admin.api.get('/api/v1/me')],
      [
        'token write',
        await admin.api.post(`/api/v1/orgs/${org.id}/members`, {
          email: 'x@example.org',
          roles: ['analyst'],
        }),
      ],
      [
        'sign-in',
        await new Client(s.url).post('/api/v1/session', { email: person.email, password: PASSWORD }),
      ],
    ] as const) {
      assert.equal(r.status, 403, label);
      assert.equal(r.body.code, 'ORG_SUSPENDED', label);
    }
    // Other organizations are unaffected; and they no longer see the suspended one.
    assert.equal((await bystander.api.get('/api/v1/me')).status, 200);
    const hidden = await bystander.api.get(`/api/v1/orgs/${org.id}`);
    assert.equal(hidden.status, 404);
    assert.equal(hidden.body.code, 'NOT_FOUND');

    assert.equal((await op.api.patch(`/api/v1/orgs/${org.id}`, { status: 'vetted' })).status, 200);
    // Tokens work again; the sessions do not come back (docs/threat-model.md): members sign in anew.
    assert.equal((await admin.api.get('/api/v1/me')).status, 200);
    for (const session of [browser, otherBrowser]) {
      const r = await session.get('/api/v1/me');
      assert.equal(r.status, 401);
      assert.equal(r.body.code, 'SESSION_EXPIRED');
    }
    assert.equal((await signedIn(s, person.email).then((c) => c.get('/api/v1/me'))).status, 200);
  });

  it('suspending an invited member spends nothing but makes their link useless (410)', async () => {
    const org = await makeOrg(s);
    const admin = await memberWithToken(s, org.id, { roles: ['admin'] });
    const invited = await admin.api.post(`/api/v1/orgs/${org.id}/members`, {
      email: 'pending-person@example.org'.replace('pending', `p${Date.now()}`),
      roles: ['analyst'],
    });
    assert.equal(invited.status, 201);
    const secret = (invited.body.invitationUrl as string).split('/').pop();
    assert.equal(
      (await admin.api.patch(`/api/v1/members/${invited.body.member.id}`, { status: 'suspended' })).status,
      200,
    );
    const look = await new Client(s.url).get(`/api/v1/invitations/${secret}`);
    assert.equal(look.status, 410);
    assert.equal(look.body.code, 'INVITATION_INVALID');
    const accept = await new Client(s.url).post(`/api/v1/invitations/${secret}`, { password: PASSWORD });
    assert.equal(accept.status, 410);
    assert.equal(accept.body.code, 'INVITATION_INVALID');
  });
});
