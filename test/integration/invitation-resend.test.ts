// Issue 11 §1: a lost invitation is re-sent (the old link stops working), an invitation is revoked,
// an expired or revoked invitation frees the address, and a reactivated invitee stays invited.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import {
  anonymous,
  assertError,
  auditMark,
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

const WEEK = 7 * 24 * 3600 * 1000;

describeEachEngine('invitations: re-send, revoke, expiry, reactivation', (engine) => {
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

  it('re-sending issues a new link and the old one stops working; the new one is accepted', async () => {
    const inv = await invite();
    const old = invitationSecret(inv.url);
    const since = await auditMark(s);
    const resent = await inv.admin.api.post(`/api/v1/members/${inv.member.id}/invitation`);
    assert.equal(resent.status, 201);
    assert.equal(resent.body.member.id, inv.member.id);
    assert.equal(resent.body.member.status, 'invited');
    assert.equal(resent.body.member.invitation.expired, false);
    const fresh = invitationSecret(resent.body.invitationUrl);
    assert.notEqual(fresh, old);
    const events = await since();
    assert.deepEqual(
      events.map((e) => [e.action, e.subject_id, e.subject_org_id]),
      [['invitation.resend', inv.member.id, inv.org.id]],
    );

    const before = await snapshot(s);
    assertError(await anonymous(s).get(`/api/v1/invitations/${old}`), 410, 'INVITATION_INVALID');
    assertError(
      await anonymous(s).post(`/api/v1/invitations/${old}`, { password: PASSWORD }),
      410,
      'INVITATION_INVALID',
    );
    assert.deepEqual(await snapshot(s), before);
    const accepted = await anonymous(s).post(`/api/v1/invitations/${fresh}`, { password: PASSWORD });
    assert.equal(accepted.status, 200);
    assert.equal(accepted.body.member.status, 'active');

    // Joined: nothing is left to re-send or revoke.
    assertError(
      await inv.admin.api.post(`/api/v1/members/${inv.member.id}/invitation`),
      409,
      'INVITATION_NOT_PENDING',
    );
    assertError(
      await inv.admin.api.delete(`/api/v1/members/${inv.member.id}/invitation`),
      409,
      'INVITATION_NOT_PENDING',
    );
  });

  it('an expired invitation is shown as expired, can be re-sent, and the new link works', async () => {
    const inv = await invite();
    s.clock.advance(WEEK + 1000);
    const roster = await inv.admin.api.get(`/api/v1/orgs/${inv.org.id}/members`);
    const row = roster.body.items.find((m: { id: string }) => m.id === inv.member.id);
    assert.equal(row.status, 'invited');
    assert.equal(row.invitation.expired, true);
    const admin = roster.body.items.find((m: { id: string }) => m.id === inv.admin.member.id);
    assert.equal(admin.invitation, undefined, 'a member who joined has no invitation');
    const resent = await inv.admin.api.post(`/api/v1/members/${inv.member.id}/invitation`);
    assert.equal(resent.status, 201);
    assert.equal(resent.body.member.invitation.expired, false);
    const ok = await anonymous(s).post(`/api/v1/invitations/${invitationSecret(resent.body.invitationUrl)}`, {
      password: PASSWORD,
    });
    assert.equal(ok.status, 200);
  });

  it('an expired invitation frees the address: inviting it again, here or elsewhere, works', async () => {
    const inv = await invite();
    const elsewhere = await makeOrg(s);
    const other = await memberWithToken(s, elsewhere.id, { roles: ['admin'] });
    // Still open: the address is taken.
    assertError(
      await other.api.post(`/api/v1/orgs/${elsewhere.id}/members`, { email: inv.email, roles: ['analyst'] }),
      409,
      'EMAIL_TAKEN',
    );
    s.clock.advance(WEEK);
    const since = await auditMark(s);
    const again = await other.api.post(`/api/v1/orgs/${elsewhere.id}/members`, {
      email: inv.email,
      roles: ['analyst'],
    });
    assert.equal(again.status, 201);
    assert.notEqual(again.body.member.id, inv.member.id);
    assert.equal(again.body.member.orgId, elsewhere.id);
    const events = await since();
    const revoked = events.find((e) => e.action === 'invitation.revoke');
    assert.equal(revoked?.subject_id, inv.member.id);
    assert.equal(revoked?.subject_org_id, inv.org.id, "the first organization's admins see it");
    const details = JSON.parse(revoked?.details ?? '{}');
    assert.deepEqual([details.expired, details.removed], [true, true]);
    // The lapsed invitee is gone from the first roster, and the old link stays dead.
    assertError(await inv.admin.api.get(`/api/v1/members/${inv.member.id}`), 404, 'NOT_FOUND');
    assertError(
      await anonymous(s).get(`/api/v1/invitations/${invitationSecret(inv.url)}`),
      410,
      'INVITATION_INVALID',
    );
    const accepted = await anonymous(s).post(
      `/api/v1/invitations/${invitationSecret(again.body.invitationUrl)}`,
      { password: PASSWORD },
    );
    assert.equal(accepted.status, 200);
    assert.equal(accepted.body.organization.id, elsewhere.id);
  });

  it('revoking removes the never-joined invitee: the link is dead and the address free', async () => {
    const inv = await invite();
    const since = await auditMark(s);
    const r = await inv.admin.api.delete(`/api/v1/members/${inv.member.id}/invitation`);
    assert.equal(r.status, 204);
    const events = await since();
    assert.deepEqual(
      events.map((e) => [e.action, e.subject_id, e.subject_org_id, JSON.parse(e.details).removed]),
      [['invitation.revoke', inv.member.id, inv.org.id, true]],
    );
    assertError(
      await anonymous(s).get(`/api/v1/invitations/${invitationSecret(inv.url)}`),
      410,
      'INVITATION_INVALID',
    );
    const roster = await inv.admin.api.get(`/api/v1/orgs/${inv.org.id}/members`);
    assert.ok(!roster.body.items.some((m: { id: string }) => m.id === inv.member.id));
    assertError(await inv.admin.api.delete(`/api/v1/members/${inv.member.id}/invitation`), 404, 'NOT_FOUND');
    const again = await inv.admin.api.post(`/api/v1/orgs/${inv.org.id}/members`, {
      email: inv.email,
      roles: ['analyst'],
    });
    assert.equal(again.status, 201);
  });

  it('a suspended invitee who never joined is invited again when reactivated, and their link works', async () => {
    const inv = await invite();
    const suspended = await inv.admin.api.patch(`/api/v1/members/${inv.member.id}`, { status: 'suspended' });
    assert.equal(suspended.body.status, 'suspended');
    assertError(
      await anonymous(s).get(`/api/v1/invitations/${invitationSecret(inv.url)}`),
      410,
      'INVITATION_INVALID',
    );
    // Re-sending waits for the reactivation.
    assertError(
      await inv.admin.api.post(`/api/v1/members/${inv.member.id}/invitation`),
      409,
      'INVITATION_NOT_PENDING',
    );
    const back = await inv.admin.api.patch(`/api/v1/members/${inv.member.id}`, { status: 'active' });
    assert.equal(back.status, 200);
    assert.equal(back.body.status, 'invited');
    assert.equal(back.body.invitation.expired, false);
    assert.equal((await inv.admin.api.get(`/api/v1/members/${inv.member.id}`)).body.status, 'invited');
    const accepted = await anonymous(s).post(`/api/v1/invitations/${invitationSecret(inv.url)}`, {
      password: PASSWORD,
    });
    assert.equal(accepted.status, 200);
    assert.equal(accepted.body.member.status, 'active');
  });

  it('a member who joined is active again when reactivated', async () => {
    const org = await makeOrg(s);
    const admin = await memberWithToken(s, org.id, { roles: ['admin'] });
    const joined = await memberWithToken(s, org.id, { password: PASSWORD });
    await admin.api.patch(`/api/v1/members/${joined.member.id}`, { status: 'suspended' });
    const back = await admin.api.patch(`/api/v1/members/${joined.member.id}`, { status: 'active' });
    assert.equal(back.body.status, 'active');
  });

  it("others cannot re-send or revoke: another organization's admin 404, a non-admin 403; nothing changes", async () => {
    const inv = await invite();
    const outsider = await memberWithToken(s, (await makeOrg(s)).id, { roles: ['admin'] });
    const analyst = await memberWithToken(s, inv.org.id, { roles: ['analyst'] });
    const before = await snapshot(s);
    for (const api of [outsider.api]) {
      assertError(await api.post(`/api/v1/members/${inv.member.id}/invitation`), 404, 'NOT_FOUND');
      assertError(await api.delete(`/api/v1/members/${inv.member.id}/invitation`), 404, 'NOT_FOUND');
    }
    assertError(await analyst.api.post(`/api/v1/members/${inv.member.id}/invitation`), 403, 'FORBIDDEN');
    assertError(await analyst.api.delete(`/api/v1/members/${inv.member.id}/invitation`), 403, 'FORBIDDEN');
    assertError(
      await inv.admin.api.post('/api/v1/members/mbr_00000000-0000-4000-8000-000000000000/invitation'),
      404,
      'NOT_FOUND',
    );
    assert.deepEqual(await snapshot(s), before);
    assert.equal(
      (await anonymous(s).get(`/api/v1/invitations/${invitationSecret(inv.url)}`)).status,
      200,
      'the link still works',
    );
  });

  it('two racing re-sends leave exactly one working link', async () => {
    const inv = await invite();
    const [a, b] = await Promise.all([
      inv.admin.api.post(`/api/v1/members/${inv.member.id}/invitation`),
      inv.admin.api.post(`/api/v1/members/${inv.member.id}/invitation`),
    ]);
    assert.deepEqual([a.status, b.status], [201, 201]);
    const links = [a, b, { body: { invitationUrl: inv.url } }].map((r) =>
      invitationSecret(r.body.invitationUrl),
    );
    const working = [];
    for (const secret of links) {
      if ((await anonymous(s).get(`/api/v1/invitations/${secret}`)).status === 200) working.push(secret);
    }
    assert.equal(working.length, 1, JSON.stringify(working));
  });
});
