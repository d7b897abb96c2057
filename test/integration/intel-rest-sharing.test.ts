// Intel REST API (issue 4, docs/sharing.md): the share contract — versions, share failures (forged
// created_by_ref, foreign ids, duplicates, invalid STIX), bad input and pagination.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { orgIdentityId } from '../../src/features/intel/index.ts';
import { assertError, auditMark, makeOrg, memberWithToken } from '../support/arrange.ts';
import { describeEachEngine } from '../support/databases.ts';
import {
  allPages,
  assertHidden,
  indicator,
  type SharingMember,
  share,
  startSharingWorld,
} from '../support/intel.ts';
import type { TestServer } from '../support/server.ts';

// biome-ignore lint/suspicious/noExplicitAny: REST replies are JSON inspected dynamically
type Json = any;

describeEachEngine('intel REST API: versions, share failures, bad input, pagination', (engine) => {
  let s: TestServer;
  let A: SharingMember;
  let B: SharingMember;
  let C: SharingMember;
  let D: SharingMember;
  before(async () => {
    ({ s, A, B, C, D } = await startSharingWorld(engine));
  });
  after(async () => s.close());

  it('versions: a newer, stricter version hides only itself', async () => {
    const id = indicator().id as string;
    const v1 = indicator({ id, tlp: 'green', modified: '2026-02-01T00:00:00.000Z', name: 'v1' });
    const v2 = indicator({ id, tlp: 'unknown', modified: '2026-03-01T00:00:00.000Z', name: 'v2' });
    assert.equal((await share(A.api, [v1], { kind: 'community' })).successes.length, 1);
    assert.equal((await share(A.api, [v2], { kind: 'community' })).successes.length, 1);
    assert.equal((await A.api.get(`/api/v1/intel/${id}`)).body.object.name, 'v2');
    assert.deepEqual(
      (await A.api.get(`/api/v1/intel/${id}/versions`)).body.items.map((v: Json) => v.object.name),
      ['v1', 'v2'],
    );
    const b = await B.api.get(`/api/v1/intel/${id}`);
    assert.equal(b.body.object.name, 'v1');
    assert.equal(b.body.modified, '2026-02-01T00:00:00.000Z');
    assert.deepEqual(
      (await B.api.get(`/api/v1/intel/${id}/versions`)).body.items.map((v: Json) => v.object.name),
      ['v1'],
    );
    const listed = (await allPages(B.api, '/api/v1/intel', 100)).filter((v) => v.stixId === id);
    assert.deepEqual(
      listed.map((v) => v.object.name),
      ['v1'],
    );
    assert.equal(
      (await B.api.get('/api/v1/intel?q=v2')).body.items.filter((v: Json) => v.stixId === id).length,
      0,
    );

    // RED to named recipients: B (named) sees the RED v2, C (only in v1's audience) sees v1.
    const id2 = indicator().id as string;
    const w1 = indicator({ id: id2, tlp: 'amber', modified: '2026-02-01T00:00:00.000Z', name: 'w1' });
    const w2 = indicator({ id: id2, tlp: 'red', modified: '2026-03-01T00:00:00.000Z', name: 'w2' });
    await share(A.api, [w1], { kind: 'orgs', orgIds: [B.org.id, C.org.id] });
    await share(A.api, [w2], { kind: 'orgs', orgIds: [B.org.id] });
    assert.equal((await B.api.get(`/api/v1/intel/${id2}`)).body.object.name, 'w2');
    assert.equal((await C.api.get(`/api/v1/intel/${id2}`)).body.object.name, 'w1');
    assert.deepEqual(
      (await C.api.get(`/api/v1/intel/${id2}/versions`)).body.items.map((v: Json) => v.object.name),
      ['w1'],
    );
    await assertHidden(D.api, id2);
  });

  it('share failures: forged created_by_ref, foreign ids, duplicates, invalid STIX — all-or-nothing per object', async () => {
    const before = await auditMark(s);
    const forged = indicator({ tlp: 'green', createdByRef: orgIdentityId(B.org.id) });
    const own = indicator({ tlp: 'green', createdByRef: orgIdentityId(A.org.id) });
    const external = indicator({
      tlp: 'green',
      createdByRef: 'identity--2f9b8a3c-1d4e-4f5a-8b6c-7d8e9f0a1b2c',
    });
    const r = await share(A.api, [forged, own, external], { kind: 'community' });
    assert.deepEqual(
      r.failures.map((f: Json) => [f.index, f.code, f.id]),
      [[0, 'FORGED_CREATED_BY', forged.id]],
    );
    assert.deepEqual(
      r.successes.map((x: Json) => x.id),
      [own.id, external.id],
    );
    await assertHidden(A.api, forged.id as string);
    await assertHidden(B.api, forged.id as string);
    assert.equal((await before()).filter((e) => e.subject_id === forged.id).length, 0);

    // Someone else's id — visible or not — is the sharer's own lineage (issue 9 §2): nothing is
    // refused or revealed, and the owner's object is untouched (intel-lineages.test.ts goes further).
    const hiddenFromB = indicator({ tlp: 'green' });
    await share(A.api, [hiddenFromB], { kind: 'org' });
    const takeover = { ...own, modified: '2026-06-01T00:00:00.000Z', created_by_ref: undefined };
    const takeover2 = { ...hiddenFromB, modified: '2026-06-01T00:00:00.000Z', created_by_ref: undefined };
    const r2 = await share(B.api, [takeover, takeover2], { kind: 'community' });
    assert.deepEqual(r2.failures, []);
    assert.equal((await A.api.get(`/api/v1/intel/${own.id}`)).body.ownerOrgId, A.org.id);
    assert.equal((await A.api.get(`/api/v1/intel/${own.id}/versions`)).body.items.length, 1);
    assert.equal((await B.api.get(`/api/v1/intel/${own.id}`)).body.ownerOrgId, B.org.id);

    // Duplicate versions, stored earlier or twice in one request.
    const again = await share(A.api, [own], { kind: 'community' });
    assert.deepEqual(
      again.failures.map((f: Json) => f.code),
      ['DUPLICATE_VERSION'],
    );
    const fresh = indicator({ tlp: 'green' });
    const twice = await share(A.api, [fresh, fresh], { kind: 'community' });
    assert.equal(twice.successes.length, 1);
    assert.deepEqual(
      twice.failures.map((f: Json) => [f.index, f.code]),
      [[1, 'DUPLICATE_VERSION']],
    );

    // Invalid STIX, mixed with valid objects: the valid are stored, the invalid not at all.
    const bad1 = { ...indicator({ tlp: 'green' }), pattern_type: 42 };
    const bad2 = { ...indicator({ tlp: 'green' }), created: 'yesterday' };
    const good1 = indicator({ tlp: 'green' });
    const good2 = indicator({ tlp: 'green' });
    const mixed = await share(A.api, [good1, bad1, 'not an object', good2, bad2, { type: 'indicator' }], {
      kind: 'community',
    });
    assert.deepEqual(
      mixed.successes.map((x: Json) => x.id),
      [good1.id, good2.id],
    );
    assert.deepEqual(
      mixed.failures.map((f: Json) => [f.index, f.code]),
      [
        [1, 'INVALID_STIX'],
        [2, 'INVALID_STIX'],
        [4, 'INVALID_STIX'],
        [5, 'INVALID_STIX'],
      ],
    );
    for (const bad of [bad1, bad2]) await assertHidden(A.api, bad.id as string);
    assert.equal((await B.api.get(`/api/v1/intel/${good2.id}`)).status, 200);
    // A bundle is accepted as well, and a bundle inside objects is refused.
    const inBundle = indicator({ tlp: 'green' });
    const viaBundle = await share(
      A.api,
      [{ type: 'bundle', id: 'bundle--6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', objects: [] }],
      { kind: 'community' },
    );
    assert.equal(viaBundle.failures[0].code, 'INVALID_STIX');
    const b = await A.api.post('/api/v1/intel', {
      bundle: { type: 'bundle', id: 'bundle--6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', objects: [inBundle] },
      distribution: { kind: 'community' },
    });
    assert.equal(b.status, 200);
    assert.deepEqual(
      b.body.successes.map((x: Json) => x.id),
      [inBundle.id],
    );
  });

  it('bad input: coded 400s (unknown fields, bad distribution, tlp, cursor) and 413 for an oversize body', async () => {
    const bad = [
      await A.api.get('/api/v1/intel?nope=1'),
      await A.api.get('/api/v1/intel?tlp=purple'),
      await A.api.get('/api/v1/intel?tlp=unknown'),
      await A.api.get('/api/v1/intel?cursor=not-a-cursor'),
      await A.api.get(`/api/v1/intel?cursor=${Buffer.from('["x","y"]').toString('base64url')}`),
      await A.api.get('/api/v1/intel?limit=0'),
      await A.api.get('/api/v1/intel?limit=1001'),
      await A.api.get('/api/v1/intel?added_after=yesterday'),
      await A.api.get('/api/v1/exports/stix?cursor=%7B%7D'),
      await A.api.post('/api/v1/intel', { objects: [indicator()], distribution: { kind: 'everyone' } }),
      await A.api.post('/api/v1/intel', {
        objects: [indicator()],
        distribution: { kind: 'orgs', orgIds: [] },
      }),
      await A.api.post('/api/v1/intel', { objects: [indicator()], distribution: { kind: 'group' } }),
      await A.api.post('/api/v1/intel', {
        objects: [indicator()],
        distribution: { kind: 'community', x: 1 },
      }),
      await A.api.post('/api/v1/intel', {
        objects: [indicator()],
        distribution: { kind: 'community' },
        owner: 'x',
      }),
      await A.api.post('/api/v1/intel', {
        objects: [indicator()],
        distribution: { kind: 'community' },
        tlp: 'white',
      }),
      await A.api.post('/api/v1/intel', { objects: [], distribution: { kind: 'community' } }),
      await A.api.post('/api/v1/intel', { objects: [indicator()] }),
    ];
    for (const [i, r] of bad.entries()) {
      assert.equal(r.status, 400, `${i}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.code, 'VALIDATION_FAILED', `${i}: ${JSON.stringify(r.body)}`);
    }
    assertError(
      await A.api.call('POST', '/api/v1/intel', '{"objects": [', { 'content-type': 'application/json' }),
      400,
      'MALFORMED_JSON',
    );
    const pad = 'x'.repeat(s.config.bodyLimitBytes + 10);
    const big = await A.api.post('/api/v1/intel', {
      objects: [indicator({ description: pad })],
      distribution: { kind: 'community' },
    });
    assertError(big, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('pagination: pages, counts and next never reveal more, and a cursor only resumes', async () => {
    const H = await makeOrg(s);
    const h = await memberWithToken(s, H.id);
    const objs = Array.from({ length: 9 }, (_, i) =>
      indicator({ tlp: i % 3 === 0 ? 'red' : 'green', name: `page-${i}` }),
    );
    // RED to B only; GREEN to H and B.
    await share(
      A.api,
      objs.filter((_, i) => i % 3 === 0),
      { kind: 'orgs', orgIds: [B.org.id] },
    );
    await share(
      A.api,
      objs.filter((_, i) => i % 3 !== 0),
      { kind: 'orgs', orgIds: [B.org.id, H.id] },
    );
    const all = await allPages(h.api, `/api/v1/intel?org=${A.org.id}&q=page-`, 2);
    assert.deepEqual(
      all.map((v) => v.object.name).sort(),
      objs
        .filter((_, i) => i % 3 !== 0)
        .map((o) => o.name)
        .sort(),
    );
    // Newest first, strictly ordered by dateAdded.
    const dates = all.map((v) => v.dateAdded);
    assert.deepEqual([...dates].sort().reverse(), dates);
    const forB = await allPages(B.api, `/api/v1/intel?org=${A.org.id}&q=page-`, 4);
    assert.equal(forB.length, 9);
  });
});
