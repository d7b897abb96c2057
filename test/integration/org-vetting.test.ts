import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import {
  anonymous,
  makeOrg,
  memberWithToken,
  operatorAdmin,
  operatorOrgId,
  PASSWORD,
  snapshot,
  startWithOperator,
  trustForwardedFor,
  unique,
  uniqueEmail,
} from '../support/arrange.ts';
import { describeEachEngine } from '../support/databases.ts';
import type { TestServer } from '../support/server.ts';

const ids = (r: { body: { items: { id: string }[] } }) => r.body.items.map((o) => o.id);

trustForwardedFor();

describeEachEngine('organizations: applications, vetting and the directory', (engine) => {
  let s: TestServer;
  before(async () => {
    s = await startWithOperator(engine);
  });
  after(async () => s.close());

  it('anyone may apply; the organization lands pending with the applicant as its admin', async () => {
    const name = unique('Wake County Board of Elections');
    const r = await anonymous(s).post('/api/v1/applications', {
      organization: { name, kind: 'government', role: 'election-office', jurisdiction: 'us-nc' },
      applicant: { email: uniqueEmail('applicant'), displayName: 'Ann Applicant', password: PASSWORD },
    });
    assert.equal(r.status, 201);
    assert.equal(r.body.organization.name, name);
    assert.equal(r.body.organization.status, 'pending');
    assert.equal(r.body.organization.jurisdiction, 'US-NC');
    assert.equal(r.body.organization.isOperator, false);
    assert.deepEqual(r.body.member.roles, ['admin']);
    assert.equal(r.body.member.orgId, r.body.organization.id);
    assert.equal(JSON.stringify(r.body).includes(PASSWORD), false);

    const op = await operatorAdmin(s);
    const pending = await op.api.get('/api/v1/orgs?status=pending');
    assert.ok(ids(pending).includes(r.body.organization.id));
  });

  it('nobody applies as the operator (400 VALIDATION_FAILED naming organization.role)', async () => {
    const before = await snapshot(s);
    const r = await anonymous(s).post('/api/v1/applications', {
      organization: { name: unique('Fake ISAC'), kind: 'nonprofit', role: 'isac-operator' },
      applicant: { email: uniqueEmail(), displayName: 'Mallory', password: PASSWORD },
    });
    assert.equal(r.status, 400);
    assert.equal(r.body.code, 'VALIDATION_FAILED');
    assert.deepEqual(r.body.fields, ['organization.role']);
    assert.deepEqual(await snapshot(s), before);
  });

  it("a pending organization's members see only their own organization", async () => {
    const pending = await makeOrg(s, { status: 'pending' });
    const otherPending = await makeOrg(s, { status: 'pending' });
    const vetted = await makeOrg(s);
    const vettedMember = await memberWithToken(s, vetted.id);
    const applicant = await memberWithToken(s, pending.id, { roles: ['admin'] });

    const list = await applicant.api.get('/api/v1/orgs');
    assert.equal(list.status, 200);
    assert.deepEqual(ids(list), [pending.id]);
    assert.equal((await applicant.api.get(`/api/v1/orgs/${pending.id}`)).status, 200);
    for (const path of [
      `/api/v1/orgs/${vetted.id}`,
      `/api/v1/orgs/${otherPending.id}`,
      `/api/v1/orgs/${vetted.id}/members`,
      `/api/v1/members/${vettedMember.member.id}`,
    ]) {
      const r = await applicant.api.get(path);
      assert.equal(r.status, 404, path);
      assert.equal(r.body.code, 'NOT_FOUND');
    }
    const vettedList = await applicant.api.get('/api/v1/orgs?status=vetted');
    assert.deepEqual(ids(vettedList), []);

    // Vetted members do not see pending organizations either.
    const seen = ids(await vettedMember.api.get('/api/v1/orgs'));
    assert.ok(seen.includes(vetted.id));
    assert.ok(!seen.includes(pending.id));
    const r = await vettedMember.api.get(`/api/v1/orgs/${pending.id}`);
    assert.equal(r.status, 404);
    assert.equal(r.body.code, 'NOT_FOUND');
  });

  it('only operator admins vet and suspend organizations (403 FORBIDDEN otherwise, nothing changes)', async () => {
    const pending = await makeOrg(s, { status: 'pending' });
    const vetted = await makeOrg(s);
    const applicantAdmin = await memberWithToken(s, pending.id, { roles: ['admin'] });
    const vettedAdmin = await memberWithToken(s, vetted.id, { roles: ['admin'] });
    const operatorAnalyst = await memberWithToken(s, await operatorOrgId(s), { roles: ['analyst'] });

    const before = await snapshot(s);
    const selfVet = await applicantAdmin.api.patch(`/api/v1/orgs/${pending.id}`, { status: 'vetted' });
    assert.equal(selfVet.status, 403);
    assert.equal(selfVet.body.code, 'FORBIDDEN');
    const ownSuspend = await vettedAdmin.api.patch(`/api/v1/orgs/${vetted.id}`, { status: 'suspended' });
    assert.equal(ownSuspend.status, 403);
    assert.equal(ownSuspend.body.code, 'FORBIDDEN');
    // A vetted admin cannot even see the pending organization.
    const otherVet = await vettedAdmin.api.patch(`/api/v1/orgs/${pending.id}`, { status: 'vetted' });
    assert.equal(otherVet.status, 404);
    assert.equal(otherVet.body.code, 'NOT_FOUND');
    // Belonging to the operator is not enough: it takes an operator admin. An operator analyst
    // does not see pending organizations, and may not suspend a vetted one.
    const analystVet = await operatorAnalyst.api.patch(`/api/v1/orgs/${pending.id}`, { status: 'vetted' });
    assert.equal(analystVet.status, 404);
    assert.equal(analystVet.body.code, 'NOT_FOUND');
    const analystSuspend = await operatorAnalyst.api.patch(`/api/v1/orgs/${vetted.id}`, {
      status: 'suspended',
    });
    assert.equal(analystSuspend.status, 403);
    assert.equal(analystSuspend.body.code, 'FORBIDDEN');
    const analystCreate = await operatorAnalyst.api.post('/api/v1/orgs', {
      name: unique('Org'),
      kind: 'private',
      role: 'vendor',
    });
    assert.equal(analystCreate.status, 403);
    assert.equal(analystCreate.body.code, 'FORBIDDEN');
    const adminCreate = await vettedAdmin.api.post('/api/v1/orgs', {
      name: unique('Org'),
      kind: 'private',
      role: 'vendor',
    });
    assert.equal(adminCreate.status, 403);
    assert.equal(adminCreate.body.code, 'FORBIDDEN');
    assert.deepEqual(await snapshot(s), before);
    assert.equal((await applicantAdmin.api.get(`/api/v1/orgs/${pending.id}`)).body.status, 'pending');

    const op = await operatorAdmin(s);
    const vet = await op.api.patch(`/api/v1/orgs/${pending.id}`, { status: 'vetted' });
    assert.equal(vet.status, 200);
    assert.equal(vet.body.status, 'vetted');
    // Once vetted, its members see the vetted directory.
    const now = ids(await applicantAdmin.api.get('/api/v1/orgs'));
    assert.ok(now.includes(vetted.id) && now.includes(pending.id));

    const suspend = await op.api.patch(`/api/v1/orgs/${vetted.id}`, { status: 'suspended' });
    assert.equal(suspend.status, 200);
    assert.equal(suspend.body.status, 'suspended');
    assert.ok(!ids(await applicantAdmin.api.get('/api/v1/orgs')).includes(vetted.id));
  });

  it('operator admins see every organization and register new ones, pending unless told otherwise', async () => {
    const pending = await makeOrg(s, { status: 'pending' });
    const suspended = await makeOrg(s, { status: 'suspended' });
    const op = await operatorAdmin(s);
    const all = ids(await op.api.get('/api/v1/orgs'));
    assert.ok(all.includes(pending.id) && all.includes(suspended.id) && all.includes(await operatorOrgId(s)));
    const suspendedOnly = (await op.api.get('/api/v1/orgs?status=suspended')).body.items;
    assert.ok(suspendedOnly.every((o: { status: string }) => o.status === 'suspended'));

    const created = await op.api.post('/api/v1/orgs', {
      name: unique('NC State Cyber Agency'),
      kind: 'government',
      role: 'cyber-agency',
      jurisdiction: 'US-NC',
    });
    assert.equal(created.status, 201);
    assert.equal(created.body.status, 'pending');
    assert.equal(created.body.isOperator, false);
    const vetted = await op.api.post('/api/v1/orgs', {
      name: unique('Platform'),
      kind: 'private',
      role: 'platform',
      jurisdiction: null,
      status: 'vetted',
    });
    assert.equal(vetted.status, 201);
    assert.equal(vetted.body.status, 'vetted');
    assert.equal(vetted.body.jurisdiction, null);
  });

  it('the operator organization cannot be suspended or unvetted', async () => {
    const op = await operatorAdmin(s);
    const opId = await operatorOrgId(s);
    const before = await snapshot(s);
    for (const status of ['suspended', 'pending']) {
      const r = await op.api.patch(`/api/v1/orgs/${opId}`, { status });
      assert.equal(r.status, 403);
      assert.equal(r.body.code, 'FORBIDDEN');
    }
    assert.deepEqual(await snapshot(s), before);
    assert.equal((await op.api.get(`/api/v1/orgs/${opId}`)).body.status, 'vetted');
  });

  it("an organization's own admins edit its profile; others may not", async () => {
    const org = await makeOrg(s);
    const other = await makeOrg(s);
    const admin = await memberWithToken(s, org.id, { roles: ['admin'] });
    const analyst = await memberWithToken(s, org.id, { roles: ['analyst'] });
    const otherAdmin = await memberWithToken(s, other.id, { roles: ['admin'] });
    const newName = unique('Renamed Board');
    const edit = await admin.api.patch(`/api/v1/orgs/${org.id}`, { name: newName, jurisdiction: 'ca-on' });
    assert.equal(edit.status, 200);
    // The jurisdiction applies; a vetted organization's new name waits for the operator (org-renames.test.ts).
    assert.equal(edit.body.name, org.name);
    assert.equal(edit.body.pendingRename.name, newName);
    assert.equal(edit.body.jurisdiction, 'CA-ON');
    assert.equal(edit.body.status, 'vetted');

    const before = await snapshot(s);
    const byAnalyst = await analyst.api.patch(`/api/v1/orgs/${org.id}`, { name: unique('x') });
    assert.equal(byAnalyst.status, 403);
    assert.equal(byAnalyst.body.code, 'FORBIDDEN');
    const byOther = await otherAdmin.api.patch(`/api/v1/orgs/${org.id}`, { name: unique('x') });
    assert.equal(byOther.status, 403);
    assert.equal(byOther.body.code, 'FORBIDDEN');
    const taken = await admin.api.patch(`/api/v1/orgs/${org.id}`, { name: other.name });
    assert.equal(taken.status, 409);
    assert.equal(taken.body.code, 'ORG_NAME_TAKEN');
    assert.deepEqual(taken.body.fields, ['name']);
    assert.deepEqual(await snapshot(s), before);
    const after = (await admin.api.get(`/api/v1/orgs/${org.id}`)).body;
    assert.equal(after.name, org.name);
    assert.equal(after.pendingRename.name, newName, 'a refused request does not replace the pending one');
  });
});
