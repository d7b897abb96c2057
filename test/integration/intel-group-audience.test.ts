// Groups do not widen an audience after the fact (issue 9 §4, docs/sharing.md "Sharing groups"): a
// group share reaches the organizations in the group when it was shared; one that joins later reads
// it only if the sharer opened it to future members; one that leaves stops reading it; AMBER+STRICT
// goes to named organizations only — never to a group or the community.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachEngine } from '../support/databases.ts';
import { assertHidden, indicator, type SharingMember, share, startSharingWorld } from '../support/intel.ts';
import type { TestServer } from '../support/server.ts';
import { ROOT, TaxiiClient } from '../support/taxii.ts';

// biome-ignore lint/suspicious/noExplicitAny: REST replies are JSON inspected dynamically
type Json = any;

describeEachEngine('sharing groups: the audience is fixed at share time', (engine) => {
  let s: TestServer;
  let A: SharingMember;
  let B: SharingMember;
  let C: SharingMember;
  before(async () => {
    ({ s, A, B, C } = await startSharingWorld(engine));
  });
  after(async () => s.close());

  it('an organization added to a group reads only what was opened to future members or shared after it joined', async () => {
    const g = await A.api.post('/api/v1/groups', { name: 'fixed audience', orgIds: [B.org.id] });
    assert.equal(g.status, 201);
    const groupId = g.body.id as string;
    const before = indicator({ tlp: 'amber', name: 'before C joined' });
    const open = indicator({ tlp: 'amber', name: 'open to future members' });
    await share(A.api, [before], { kind: 'group', groupId });
    await share(A.api, [open], { kind: 'group', groupId, futureMembers: true });
    // B shares into the group too: its audience is fixed the same way.
    const fromB = indicator({ tlp: 'green', name: 'B before C joined' });
    await share(B.api, [fromB], { kind: 'group', groupId });

    const added = await A.api.patch(`/api/v1/groups/${groupId}`, { orgIds: [B.org.id, C.org.id] });
    assert.equal(added.status, 200, JSON.stringify(added.body));
    await assertHidden(C.api, before.id);
    await assertHidden(C.api, fromB.id);
    assert.equal((await C.api.get(`/api/v1/intel/${open.id}`)).status, 200);
    const after = indicator({ tlp: 'amber', name: 'after C joined' });
    await share(A.api, [after], { kind: 'group', groupId });
    assert.equal((await C.api.get(`/api/v1/intel/${after.id}`)).status, 200);
    // The group's TAXII collection and the exports agree.
    const taxii = TaxiiClient.basic(s, C.email, C.token);
    const col = await taxii.collectionTitled('fixed audience');
    const objects = await taxii.get(`${ROOT}/collections/${col}/objects/`);
    assert.deepEqual((objects.body.objects as Json[]).map((o) => o.id).sort(), [open.id, after.id].sort());
    const exported = await C.api.get('/api/v1/exports/stix');
    const ids = new Set(exported.body.objects.map((o: Json) => o.id));
    assert.ok(!ids.has(before.id) && !ids.has(fromB.id) && ids.has(open.id));
    // B still reads everything it was an audience of.
    for (const o of [before, open, after])
      assert.equal((await B.api.get(`/api/v1/intel/${o.id}`)).status, 200);

    // Leaving the group ends access, open shares included.
    const removed = await A.api.patch(`/api/v1/groups/${groupId}`, { orgIds: [C.org.id] });
    assert.equal(removed.status, 200);
    for (const o of [before, open, after]) await assertHidden(B.api, o.id);
    // B keeps its own object.
    assert.equal((await B.api.get(`/api/v1/intel/${fromB.id}`)).status, 200);
  });

  it('AMBER+STRICT goes to named organizations only', async () => {
    const g = await A.api.post('/api/v1/groups', { name: 'strict', orgIds: [B.org.id] });
    const strict = indicator({ tlp: 'amber+strict' });
    for (const distribution of [{ kind: 'group', groupId: g.body.id }, { kind: 'community' }]) {
      const r = await share(A.api, [strict], distribution);
      assert.deepEqual(
        r.failures.map((f: Json) => f.code),
        ['DISTRIBUTION_NOT_ALLOWED'],
      );
    }
    await assertHidden(B.api, strict.id);
    const named = await share(A.api, [strict], { kind: 'orgs', orgIds: [B.org.id] });
    assert.deepEqual(named.failures, []);
    assert.equal((await B.api.get(`/api/v1/intel/${strict.id}`)).status, 200);
    await assertHidden(C.api, strict.id);
  });

  it('futureMembers must be a boolean', async () => {
    const g = await A.api.post('/api/v1/groups', { name: 'typed', orgIds: [] });
    const r = await A.api.post('/api/v1/intel', {
      objects: [indicator({ tlp: 'green' })],
      distribution: { kind: 'group', groupId: g.body.id, futureMembers: 'yes' },
    });
    assert.equal(r.status, 400);
    assert.equal(r.body.code, 'VALIDATION_FAILED');
  });
});
