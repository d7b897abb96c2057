// Issue 11 §3: a vetted organization's own rename waits for an operator admin; operator admins'
// renames apply at once, and so do an unvetted organization's own (it is vetted with its name).
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { approveRename } from '../../src/features/membership/index.ts';
import {
  assertError,
  auditMark,
  makeOrg,
  memberWithToken,
  operatorAdmin,
  startWithOperator,
  unique,
} from '../support/arrange.ts';
import { describeEachEngine } from '../support/databases.ts';
import type { TestServer } from '../support/server.ts';

describeEachEngine('organization renames', (engine) => {
  let s: TestServer;
  before(async () => {
    s = await startWithOperator(engine);
  });
  after(async () => s.close());

  it("a vetted organization's admin asks; the operator approves; the name changes only then", async () => {
    const org = await makeOrg(s);
    const admin = await memberWithToken(s, org.id, { roles: ['admin'] });
    const analyst = await memberWithToken(s, org.id);
    const bystander = await memberWithToken(s, (await makeOrg(s)).id, { roles: ['admin'] });
    const op = await operatorAdmin(s);
    const since = await auditMark(s);
    const wanted = unique('Renamed Board');

    const asked = await admin.api.patch(`/api/v1/orgs/${org.id}`, { name: wanted });
    assert.equal(asked.status, 200);
    assert.equal(asked.body.name, org.name, 'the name in force does not change yet');
    assert.equal(asked.body.pendingRename.name, wanted);
    assert.deepEqual(
      (await since()).map((e) => e.action),
      ['org.rename.request'],
    );

    // The organization and the operator see the request; other members see only the name in force.
    assert.equal((await analyst.api.get(`/api/v1/orgs/${org.id}`)).body.pendingRename.name, wanted);
    const seen = await bystander.api.get(`/api/v1/orgs/${org.id}`);
    assert.equal(seen.body.name, org.name);
    assert.equal(seen.body.pendingRename, undefined);
    const queue = await op.api.get('/api/v1/orgs?renamePending=true');
    assert.equal(queue.status, 200);
    assert.deepEqual(
      queue.body.items.map((o: { id: string }) => o.id),
      [org.id],
    );
    assert.deepEqual((await bystander.api.get('/api/v1/orgs?renamePending=true')).body.items, []);

    // Nobody but the operator's admins decides.
    assertError(await admin.api.post(`/api/v1/orgs/${org.id}/rename/approve`, {}), 403, 'FORBIDDEN');
    assertError(await bystander.api.post(`/api/v1/orgs/${org.id}/rename/approve`, {}), 403, 'FORBIDDEN');
    assert.equal((await op.api.get(`/api/v1/orgs/${org.id}`)).body.name, org.name);

    const approved = await op.api.post(`/api/v1/orgs/${org.id}/rename/approve`, {});
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    assert.equal(approved.body.name, wanted);
    assert.equal(approved.body.pendingRename, undefined);
    assert.equal((await bystander.api.get(`/api/v1/orgs/${org.id}`)).body.name, wanted);
    assertError(await op.api.post(`/api/v1/orgs/${org.id}/rename/approve`, {}), 409, 'RENAME_NOT_PENDING');
    assertError(await op.api.post(`/api/v1/orgs/${org.id}/rename/reject`, {}), 409, 'RENAME_NOT_PENDING');
    const events = (await since()).filter((e) => e.subject_id === org.id).map((e) => e.action);
    assert.deepEqual(events, ['org.rename.request', 'org.rename.approve']);
  });

  it('a rejected request leaves the name; a new request replaces the pending one', async () => {
    const org = await makeOrg(s);
    const admin = await memberWithToken(s, org.id, { roles: ['admin'] });
    const op = await operatorAdmin(s);
    await admin.api.patch(`/api/v1/orgs/${org.id}`, { name: unique('First Try') });
    const second = unique('Second Try');
    assert.equal(
      (await admin.api.patch(`/api/v1/orgs/${org.id}`, { name: second })).body.pendingRename.name,
      second,
    );
    const since = await auditMark(s);
    const rejected = await op.api.post(`/api/v1/orgs/${org.id}/rename/reject`, {});
    assert.equal(rejected.status, 200);
    assert.equal(rejected.body.name, org.name);
    assert.equal(rejected.body.pendingRename, undefined);
    assert.deepEqual(
      (await since()).map((e) => e.action),
      ['org.rename.reject'],
    );
    assert.equal((await admin.api.get(`/api/v1/orgs/${org.id}`)).body.pendingRename, undefined);
  });

  it("operator admins rename at once, settling a pending request; an unvetted organization's own rename applies", async () => {
    const org = await makeOrg(s);
    const admin = await memberWithToken(s, org.id, { roles: ['admin'] });
    const op = await operatorAdmin(s);
    await admin.api.patch(`/api/v1/orgs/${org.id}`, { name: unique('Asked For') });
    const since = await auditMark(s);
    const direct = unique('Operator Chose');
    const renamed = await op.api.patch(`/api/v1/orgs/${org.id}`, { name: direct });
    assert.equal(renamed.status, 200);
    assert.equal(renamed.body.name, direct);
    assert.equal(renamed.body.pendingRename, undefined);
    assert.deepEqual(
      (await since()).map((e) => e.action),
      ['org.update'],
    );
    assertError(await op.api.post(`/api/v1/orgs/${org.id}/rename/approve`, {}), 409, 'RENAME_NOT_PENDING');

    const pending = await makeOrg(s, { status: 'pending' });
    const applicant = await memberWithToken(s, pending.id, { roles: ['admin'] });
    const own = unique('Still Pending');
    const r = await applicant.api.patch(`/api/v1/orgs/${pending.id}`, { name: own });
    assert.equal(r.status, 200);
    assert.equal(r.body.name, own);
    assert.equal(r.body.pendingRename, undefined);
  });

  it('approval checks the name again: a look-alike taken meanwhile is refused and the request stays', async () => {
    const org = await makeOrg(s);
    const admin = await memberWithToken(s, org.id, { roles: ['admin'] });
    const op = await operatorAdmin(s);
    const wanted = unique('Contested Name');
    await admin.api.patch(`/api/v1/orgs/${org.id}`, { name: wanted });
    // Another organization registers the same name in other letters: upper case, Cyrillic "о".
    await makeOrg(s, { name: wanted.toUpperCase().replace('O', '\u041e') });
    assertError(await op.api.post(`/api/v1/orgs/${org.id}/rename/approve`, {}), 409, 'NAME_CONFUSABLE', [
      'name',
    ]);
    assert.equal((await op.api.get(`/api/v1/orgs/${org.id}`)).body.pendingRename.name, wanted);
    // The CLI decides like an operator admin.
    await assert.rejects(approveRename(s.cli, org.id), { code: 'NAME_CONFUSABLE' });
  });
});
