import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import {
  makeOrg,
  memberWithToken,
  operatorAdmin,
  snapshot,
  startWithOperator,
  uniqueEmail,
} from '../support/arrange.ts';
import { describeEachEngine } from '../support/databases.ts';
import type { TestServer } from '../support/server.ts';

describeEachEngine('organization isolation and member administration', (engine) => {
  let s: TestServer;
  before(async () => {
    s = await startWithOperator(engine);
  });
  after(async () => s.close());

  it("a member cannot see or change another organization's members (404 NOT_FOUND, nothing changes)", async () => {
    const orgA = await makeOrg(s);
    const orgB = await makeOrg(s);
    const adminA = await memberWithToken(s, orgA.id, { roles: ['admin'] });
    const analystB = await memberWithToken(s, orgB.id, { roles: ['analyst'] });

    // B is a vetted organization, so A sees it in the directory — but never its roster.
    assert.equal((await adminA.api.get(`/api/v1/orgs/${orgB.id}`)).status, 200);
    const before = await snapshot(s);
    const refusals = [
      await adminA.api.get(`/api/v1/orgs/${orgB.id}/members`),
      await adminA.api.get(`/api/v1/members/${analystB.member.id}`),
      await adminA.api.patch(`/api/v1/members/${analystB.member.id}`, { roles: ['admin'] }),
      await adminA.api.patch(`/api/v1/members/${analystB.member.id}`, { status: 'suspended' }),
      await adminA.api.post(`/api/v1/orgs/${orgB.id}/members`, { email: uniqueEmail(), roles: ['analyst'] }),
    ];
    for (const r of refusals) {
      assert.equal(r.status, 404, JSON.stringify(r.body));
      assert.equal(r.body.code, 'NOT_FOUND');
    }
    assert.deepEqual(await snapshot(s), before);

    // Hidden looks exactly like missing.
    const hidden = await adminA.api.get(`/api/v1/members/${analystB.member.id}`);
    const missing = await adminA.api.get('/api/v1/members/mbr_00000000-0000-4000-8000-000000000000');
    assert.deepEqual(
      { status: hidden.status, code: hidden.body.code, message: hidden.body.message },
      { status: missing.status, code: missing.body.code, message: missing.body.message },
    );

    const b = await analystB.api.get('/api/v1/me');
    assert.deepEqual(b.body.member.roles, ['analyst']);
    assert.equal(b.body.member.status, 'active');
  });

  it("a member sees their own organization's roster, including through a token", async () => {
    const org = await makeOrg(s);
    const admin = await memberWithToken(s, org.id, { roles: ['admin'] });
    const analyst = await memberWithToken(s, org.id, { roles: ['analyst'] });
    const roster = await analyst.api.get(`/api/v1/orgs/${org.id}/members`);
    assert.equal(roster.status, 200);
    assert.deepEqual(
      roster.body.items.map((m: { id: string }) => m.id).sort(),
      [admin.member.id, analyst.member.id].sort(),
    );
    for (const m of roster.body.items) {
      assert.equal(m.passwordHash, undefined);
      assert.equal(m.mfaSecret, undefined);
    }
    assert.equal((await analyst.api.get(`/api/v1/members/${admin.member.id}`)).status, 200);
  });

  it('non-admins cannot invite or change members (403 FORBIDDEN, nothing changes)', async () => {
    const org = await makeOrg(s);
    const analyst = await memberWithToken(s, org.id, { roles: ['analyst', 'responder'] });
    const colleague = await memberWithToken(s, org.id, { roles: ['official'] });
    const before = await snapshot(s);
    const invite = await analyst.api.post(`/api/v1/orgs/${org.id}/members`, {
      email: uniqueEmail(),
      roles: ['admin'],
    });
    assert.equal(invite.status, 403);
    assert.equal(invite.body.code, 'FORBIDDEN');
    const promote = await analyst.api.patch(`/api/v1/members/${colleague.member.id}`, { roles: ['admin'] });
    assert.equal(promote.status, 403);
    assert.equal(promote.body.code, 'FORBIDDEN');
    const suspend = await analyst.api.patch(`/api/v1/members/${colleague.member.id}`, {
      status: 'suspended',
    });
    assert.equal(suspend.status, 403);
    assert.equal(suspend.body.code, 'FORBIDDEN');
    // Not even their own roles.
    const selfPromote = await analyst.api.patch(`/api/v1/members/${analyst.member.id}`, { roles: ['admin'] });
    assert.equal(selfPromote.status, 403);
    assert.ok(['FORBIDDEN', 'SELF_ROLE_CHANGE'].includes(selfPromote.body.code), selfPromote.body.code);
    assert.deepEqual(await snapshot(s), before);
    assert.deepEqual((await analyst.api.get('/api/v1/me')).body.member.roles, ['analyst', 'responder']);
  });

  it('nobody changes their own roles, tier or status (403 SELF_ROLE_CHANGE), though another admin may', async () => {
    const org = await makeOrg(s);
    const ada = await memberWithToken(s, org.id, { roles: ['admin'], tier: 1 });
    const bea = await memberWithToken(s, org.id, { roles: ['admin', 'analyst'] });
    const before = await snapshot(s);
    for (const body of [
      { roles: ['analyst'] },
      { roles: ['admin', 'auditor'] },
      { status: 'suspended' },
      { status: 'active' },
      { tier: 2 },
      { roles: ['admin'], displayName: 'Ada' },
    ]) {
      const r = await ada.api.patch(`/api/v1/members/${ada.member.id}`, body);
      assert.equal(r.status, 403, JSON.stringify(body));
      assert.equal(r.body.code, 'SELF_ROLE_CHANGE', JSON.stringify(body));
    }
    assert.deepEqual(await snapshot(s), before);
    const me = (await ada.api.get('/api/v1/me')).body.member;
    assert.deepEqual([me.roles, me.tier, me.status, me.displayName], [['admin'], 1, 'active', 'Test Member']);

    // Another admin of the organization may change Ada.
    const changed = await bea.api.patch(`/api/v1/members/${ada.member.id}`, {
      roles: ['auditor', 'admin'],
      tier: 2,
    });
    assert.equal(changed.status, 200);
    assert.deepEqual(changed.body.roles, ['admin', 'auditor']);
    assert.equal(changed.body.tier, 2);
    const seen = await ada.api.get(`/api/v1/members/${ada.member.id}`);
    assert.deepEqual(seen.body.roles, ['admin', 'auditor']);
    assert.equal(seen.body.tier, 2);
  });

  it('an admin invites into their own organization and changes their members', async () => {
    const org = await makeOrg(s);
    const admin = await memberWithToken(s, org.id, { roles: ['admin'] });
    const email = uniqueEmail('Invitee').replace('invitee', 'Invitee');
    const invited = await admin.api.post(`/api/v1/orgs/${org.id}/members`, {
      email,
      displayName: 'Ivy Invitee',
      roles: ['responder', 'analyst'],
      tier: 2,
    });
    assert.equal(invited.status, 201);
    assert.equal(invited.body.member.email, email.toLowerCase());
    assert.equal(invited.body.member.status, 'invited');
    assert.equal(invited.body.member.orgId, org.id);
    assert.deepEqual(invited.body.member.roles, ['analyst', 'responder']);
    assert.equal(invited.body.member.tier, 2);
    assert.match(invited.body.invitationUrl, /\/invite\/[A-Za-z0-9_-]+$/);

    const renamed = await admin.api.patch(`/api/v1/members/${invited.body.member.id}`, {
      displayName: 'Ivy I.',
      roles: ['official'],
    });
    assert.equal(renamed.status, 200);
    assert.equal(renamed.body.displayName, 'Ivy I.');
    assert.deepEqual(renamed.body.roles, ['official']);
    // An admin's say-so does not activate an invited member: accepting the invitation does.
    const active = await admin.api.patch(`/api/v1/members/${invited.body.member.id}`, { status: 'active' });
    assert.equal(active.status, 200);
    assert.equal(active.body.status, 'invited');
  });

  it("operator admins read any roster but cannot manage another organization's members (403)", async () => {
    const org = await makeOrg(s);
    const analyst = await memberWithToken(s, org.id, { roles: ['analyst'] });
    const op = await operatorAdmin(s);
    const roster = await op.api.get(`/api/v1/orgs/${org.id}/members`);
    assert.equal(roster.status, 200);
    assert.deepEqual(
      roster.body.items.map((m: { id: string }) => m.id),
      [analyst.member.id],
    );
    assert.equal((await op.api.get(`/api/v1/members/${analyst.member.id}`)).status, 200);

    const before = await snapshot(s);
    const patch = await op.api.patch(`/api/v1/members/${analyst.member.id}`, { roles: ['admin'] });
    assert.equal(patch.status, 403);
    assert.equal(patch.body.code, 'FORBIDDEN');
    const invite = await op.api.post(`/api/v1/orgs/${org.id}/members`, {
      email: uniqueEmail(),
      roles: ['analyst'],
    });
    assert.equal(invite.status, 403);
    assert.equal(invite.body.code, 'FORBIDDEN');
    assert.deepEqual(await snapshot(s), before);
  });
});
