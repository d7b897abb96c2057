// Ids and lineages (issue 9 §2, docs/sharing.md "Ids and lineages"): an id held where you cannot see
// it behaves for you as if it were free; the same observable can be shared by every organization
// that saw it; a version from one organization is never presented as a version of another's object;
// nobody can change what anyone sees of another organization's object. Expectations are written out
// by hand here; intel-lineages.property.test.ts checks the rule under parallel writers.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { tlpMarkingId } from '../../src/policy/index.ts';
import { scoDeterministicId } from '../../src/stix/index.ts';
import { auditMark } from '../support/arrange.ts';
import { describeEachEngine } from '../support/databases.ts';
import { allPages, indicator, type SharingMember, share, startSharingWorld } from '../support/intel.ts';
import type { Client } from '../support/json-client.ts';
import type { TestServer } from '../support/server.ts';

// biome-ignore lint/suspicious/noExplicitAny: REST replies are JSON inspected dynamically
type Json = any;

function ipv4(value: string, tlp: 'red' | 'green' | 'amber') {
  const o = { type: 'ipv4-addr', spec_version: '2.1', value };
  return { ...o, id: scoDeterministicId(o) as string, object_marking_refs: [tlpMarkingId(tlp)] };
}

/** The owner and versions a member is presented of an id, through get and versions. */
async function presented(api: Client, id: string): Promise<{ owner: string; versions: string[] } | 404> {
  const g = await api.get(`/api/v1/intel/${id}`);
  if (g.status === 404) return 404;
  assert.equal(g.status, 200, JSON.stringify(g.body));
  const v = await api.get(`/api/v1/intel/${id}/versions`);
  assert.equal(v.status, 200);
  const owners = new Set(v.body.items.map((x: Json) => x.ownerOrgId));
  assert.deepEqual([...owners], [g.body.ownerOrgId], 'every version presented is of one organization');
  return { owner: g.body.ownerOrgId, versions: v.body.items.map((x: Json) => x.modified ?? x.dateAdded) };
}

async function ownerOf(api: Client, id: string): Promise<string | 404> {
  const p = await presented(api, id);
  return p === 404 ? 404 : p.owner;
}

describeEachEngine('intel ids and lineages: no existence oracle, no squatting', (engine) => {
  let s: TestServer;
  let A: SharingMember;
  let B: SharingMember;
  let C: SharingMember;
  before(async () => {
    ({ s, A, B, C } = await startSharingWorld(engine));
  });
  after(async () => s.close());

  it('an id held where the sharer cannot see it answers exactly like a fresh id, and changes nothing of the holder', async () => {
    const hidden = indicator({ tlp: 'red', modified: '2026-02-01T00:00:00.000Z' });
    await share(A.api, [hidden], { kind: 'orgs', orgIds: [C.org.id] });
    const fresh = indicator({ tlp: 'green', modified: '2026-03-01T00:00:00.000Z' });
    const mine = {
      ...hidden,
      modified: '2026-03-01T00:00:00.000Z',
      object_marking_refs: [tlpMarkingId('green')],
    };
    const since = await auditMark(s);
    const rHidden = await share(B.api, [mine], { kind: 'community' });
    const rFresh = await share(B.api, [fresh], { kind: 'community' });
    // The same answer shape as for an id nobody holds: a success, no failure, no code.
    assert.deepEqual(rHidden.failures, []);
    assert.deepEqual(rFresh.failures, []);
    assert.deepEqual(rHidden.successes, [{ id: hidden.id, version: '2026-03-01T00:00:00.000Z' }]);
    // Each organization's share is recorded as its own.
    const shares = (await since()).filter((e) => e.action === 'intel.share');
    assert.deepEqual(shares.map((e) => e.actor_org_id).sort(), [B.org.id, B.org.id]);

    // A and its recipient C still see A's RED object only — one version, A's; B sees its own.
    assert.deepEqual(await presented(A.api, hidden.id), {
      owner: A.org.id,
      versions: ['2026-02-01T00:00:00.000Z'],
    });
    assert.deepEqual(await presented(C.api, hidden.id), {
      owner: A.org.id,
      versions: ['2026-02-01T00:00:00.000Z'],
    });
    assert.deepEqual(await presented(B.api, hidden.id), {
      owner: B.org.id,
      versions: ['2026-03-01T00:00:00.000Z'],
    });
    // C's list holds the id once, A's version; B's community share never replaces what C saw.
    const cList = (await allPages(C.api, '/api/v1/intel', 50)).filter((x: Json) => x.stixId === hidden.id);
    assert.deepEqual(
      cList.map((x: Json) => [x.ownerOrgId, x.modified]),
      [[A.org.id, '2026-02-01T00:00:00.000Z']],
    );
    // Deleting is per lineage too: B deleting its own leaves A's untouched, and B cannot touch A's.
    assert.equal((await B.api.delete(`/api/v1/intel/${hidden.id}`)).status, 204);
    assert.deepEqual(await presented(C.api, hidden.id), {
      owner: A.org.id,
      versions: ['2026-02-01T00:00:00.000Z'],
    });
    assert.equal(await presented(B.api, hidden.id), 404);
  });

  it('a visible object of another organization cannot be versioned by someone else', async () => {
    const original = indicator({ tlp: 'green', name: 'original', modified: '2026-02-01T00:00:00.000Z' });
    await share(A.api, [original], { kind: 'community' });
    const later = { ...original, name: 'B rewrote it', modified: '2026-09-01T00:00:00.000Z' };
    const r = await share(B.api, [later], { kind: 'community' });
    assert.deepEqual(r.failures, []);
    // C sees A's object and only A's versions; "last" is still A's version, not B's later one.
    assert.deepEqual(await presented(C.api, original.id), {
      owner: A.org.id,
      versions: ['2026-02-01T00:00:00.000Z'],
    });
    const got = await C.api.get(`/api/v1/intel/${original.id}`);
    assert.equal(got.body.object.name, 'original');
    // TAXII agrees: one lineage, A's (collection `community`).
    const exportC = await C.api.get('/api/v1/exports/stix');
    const copies = exportC.body.objects.filter((o: Json) => o.id === original.id);
    assert.deepEqual(
      copies.map((o: Json) => o.name),
      ['original'],
    );
  });

  it('the same observable is shared by every organization that saw it; each reader is presented one copy', async () => {
    const red = ipv4('203.0.113.77', 'red');
    const green = ipv4('203.0.113.77', 'green');
    assert.equal(red.id, green.id, 'deterministic SCO id');
    await share(A.api, [red], { kind: 'orgs', orgIds: [C.org.id] });
    const r = await share(B.api, [green], { kind: 'community' });
    assert.deepEqual(r.failures, []);
    assert.equal(await ownerOf(A.api, red.id), A.org.id);
    assert.equal(await ownerOf(B.api, red.id), B.org.id);
    // C sees both; it is presented the one that was shared first (A's), never a mix.
    const c = await presented(C.api, red.id);
    assert.ok(c !== 404);
    assert.equal(c.owner, A.org.id);
    const blocklist = await C.api.get('/api/v1/exports/blocklist?kind=ip');
    assert.equal(blocklist.status, 200);
  });

  it('an organization sharing the same new version twice at once stores it once', async () => {
    const o = indicator({ tlp: 'green' });
    const replies = await Promise.all(
      Array.from({ length: 8 }, () =>
        A.api.post('/api/v1/intel', { objects: [o], distribution: { kind: 'community' } }),
      ),
    );
    for (const reply of replies) assert.equal(reply.status, 200, JSON.stringify(reply.body));
    const ok = replies.filter((x) => x.body.successes.length === 1).length;
    const dup = replies.flatMap((x) => x.body.failures.map((f: Json) => f.code));
    assert.equal(ok, 1);
    assert.deepEqual(dup, Array(7).fill('DUPLICATE_VERSION'));
    assert.deepEqual(await presented(C.api, o.id), { owner: A.org.id, versions: [o.modified] });
  });
});
