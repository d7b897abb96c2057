// Issue 11 §3 (first part): the operator's admins invite the first administrator of any
// organization, and of one left without an active administrator; nobody else invites into
// another organization.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { patchMember } from '../../src/features/membership/index.ts';
import {
  anonymous,
  assertError,
  auditMark,
  invitationSecret,
  makeOrg,
  memberWithToken,
  operatorAdmin,
  PASSWORD,
  snapshot,
  startWithOperator,
  trustForwardedFor,
  unique,
  uniqueEmail,
} from '../support/arrange.ts';
import { describeEachEngine } from '../support/databases.ts';
import type { TestServer } from '../support/server.ts';

trustForwardedFor();

describeEachEngine('the first administrator of an organization', (engine) => {
  let s: TestServer;
  before(async () => {
    s = await startWithOperator(engine);
  });
  after(async () => s.close());

  /** An organization created as the web app does: by an operator admin, with no member. */
  async function webCreatedOrg(op: Awaited<ReturnType<typeof operatorAdmin>>) {
    const r = await op.api.post('/api/v1/orgs', {
      name: unique('Web County'),
      kind: 'government',
      role: 'election-office',
      status: 'vetted',
    });
    assert.equal(r.status, 201);
    return r.body as { id: string };
  }

  it('an operator admin invites the first admin of a web-created organization, who joins it', async () => {
    const op = await operatorAdmin(s);
    const org = await webCreatedOrg(op);
    const email = uniqueEmail('first');
    const since = await auditMark(s);
    const r = await op.api.post(`/api/v1/orgs/${org.id}/members`, {
      email,
      displayName: 'First Admin',
      roles: ['admin'],
    });
    assert.equal(r.status, 201);
    assert.equal(r.body.member.orgId, org.id);
    assert.deepEqual(r.body.member.roles, ['admin']);
    const [event] = await since();
    assert.equal(event?.action, 'member.invite');
    assert.equal(event?.actor_id, op.member.id);
    assert.equal(event?.subject_org_id, org.id);
    assert.equal(JSON.parse(event?.details ?? '{}').byOperator, true);

    // While the invitee has not joined, the operator may re-send (and revoke) it.
    const resent = await op.api.post(`/api/v1/members/${r.body.member.id}/invitation`);
    assert.equal(resent.status, 201);
    const browser = anonymous(s);
    const accepted = await browser.post(
      `/api/v1/invitations/${invitationSecret(resent.body.invitationUrl)}`,
      {
        password: PASSWORD,
      },
    );
    assert.equal(accepted.status, 200);
    assert.equal(accepted.body.organization.id, org.id);
    assert.equal(accepted.body.mfaEnrollmentRequired, true);

    // The organization has an active admin now: its admins invite, not the operator.
    const before = await snapshot(s);
    assertError(
      await op.api.post(`/api/v1/orgs/${org.id}/members`, { email: uniqueEmail(), roles: ['admin'] }),
      403,
      'FORBIDDEN',
    );
    assert.deepEqual(await snapshot(s), before);
  });

  it('an operator admin invites administrators only, not the rest of the organization (403)', async () => {
    const op = await operatorAdmin(s);
    const org = await webCreatedOrg(op);
    const before = await snapshot(s);
    assertError(
      await op.api.post(`/api/v1/orgs/${org.id}/members`, { email: uniqueEmail(), roles: ['analyst'] }),
      403,
      'FORBIDDEN',
    );
    assert.deepEqual(await snapshot(s), before);
    const r = await op.api.post(`/api/v1/orgs/${org.id}/members`, {
      email: uniqueEmail(),
      roles: ['admin', 'analyst'],
    });
    assert.equal(r.status, 201);
  });

  it('an organization whose admins are all suspended gets a new one from the operator', async () => {
    const op = await operatorAdmin(s);
    const org = await makeOrg(s);
    const admin = await memberWithToken(s, org.id, { roles: ['admin'] });
    const invitee = await admin.api.post(`/api/v1/orgs/${org.id}/members`, {
      email: uniqueEmail(),
      roles: ['analyst'],
    });
    assertError(
      await op.api.post(`/api/v1/orgs/${org.id}/members`, { email: uniqueEmail(), roles: ['admin'] }),
      403,
      'FORBIDDEN',
    );
    assertError(
      await op.api.delete(`/api/v1/members/${invitee.body.member.id}/invitation`),
      403,
      'FORBIDDEN',
    );
    // The organization's last admin is suspended (here by the CLI, as an operator would).
    await patchMember(s.cli, admin.member.id, { status: 'suspended' });
    const r = await op.api.post(`/api/v1/orgs/${org.id}/members`, { email: uniqueEmail(), roles: ['admin'] });
    assert.equal(r.status, 201);
    assert.equal(r.body.member.orgId, org.id);
    assert.equal((await op.api.delete(`/api/v1/members/${invitee.body.member.id}/invitation`)).status, 204);
  });

  it('nobody else invites into another organization: its roster is invisible (404), nothing changes', async () => {
    const op = await operatorAdmin(s);
    const org = await webCreatedOrg(op);
    const outsider = await memberWithToken(s, (await makeOrg(s)).id, { roles: ['admin'] });
    const before = await snapshot(s);
    assertError(
      await outsider.api.post(`/api/v1/orgs/${org.id}/members`, { email: uniqueEmail(), roles: ['admin'] }),
      404,
      'NOT_FOUND',
    );
    assert.deepEqual(await snapshot(s), before);
  });
});
