// Intel REST API (issue 4, docs/sharing.md): who sees what under every TLP × distribution through
// every REST door (get, list, search, versions, relationships, exports), and the share, delete,
// relay and sharing-group contracts, bad input and audit. Expectations here are written out by
// hand from docs/sharing.md, not derived from src/policy, so they check the rule itself.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { listObjects, orgIdentityId } from '../../src/features/intel/index.ts';
import { type Distribution, TLPS, type Tlp } from '../../src/policy/index.ts';
import {
  anonymous,
  assertError,
  auditMark,
  makeOrg,
  memberWithToken,
  operatorAdmin,
  startWithOperator,
} from '../support/arrange.ts';
import { describeEachEngine } from '../support/databases.ts';
import {
  allPages,
  indicator,
  memberContext,
  observable,
  relationship,
  UNKNOWN_MARKING,
} from '../support/intel.ts';
import type { Client } from '../support/json-client.ts';
import type { TestServer } from '../support/server.ts';

// biome-ignore lint/suspicious/noExplicitAny: REST replies are JSON inspected dynamically
type Json = any;
type Who = 'A' | 'B' | 'C' | 'D';
type Level = Tlp | 'unknown';
const LEVELS: readonly Level[] = [...TLPS, 'unknown'];
const DIST_KINDS = ['org', 'orgs', 'group', 'community', 'public'] as const;

/**
 * Written out from docs/sharing.md: A owns; B is a named recipient and a member of A's group; C is
 * a vetted outsider; D is pending. `null`: the share itself is refused (DISTRIBUTION_NOT_ALLOWED).
 */
function expected(tlp: Level, dist: (typeof DIST_KINDS)[number]): readonly Who[] | null {
  if (dist === 'public' && tlp !== 'clear') return null;
  if (tlp === 'red' && (dist === 'group' || dist === 'community')) return null;
  if (tlp === 'unknown' || dist === 'org') return ['A'];
  if (dist === 'orgs' || dist === 'group') return ['A', 'B'];
  return ['A', 'B', 'C'];
}

describeEachEngine('intel REST API: visibility, sharing, relays, groups, exports', (engine) => {
  let s: TestServer;
  let A: Json;
  let B: Json;
  let C: Json;
  let D: Json;
  let groupAB: string;
  before(async () => {
    s = await startWithOperator(engine);
    const mk = async (status: 'vetted' | 'pending' = 'vetted') => {
      const org = await makeOrg(s, { status });
      return { org, ...(await memberWithToken(s, org.id, { roles: ['analyst'] })) };
    };
    A = await mk();
    B = await mk();
    C = await mk();
    D = await mk('pending');
    const g = await A.api.post('/api/v1/groups', { name: 'A and B', orgIds: [B.org.id] });
    assert.equal(g.status, 201, JSON.stringify(g.body));
    groupAB = g.body.id;
  });
  after(async () => s.close());

  const who = (w: Who): Json => ({ A, B, C, D })[w];
  const dist = (k: (typeof DIST_KINDS)[number]): Distribution =>
    k === 'orgs'
      ? { kind: 'orgs', orgIds: [B.org.id] }
      : k === 'group'
        ? { kind: 'group', groupId: groupAB }
        : { kind: k };

  async function share(api: Client, objects: unknown[], distribution: unknown, tlp?: Tlp): Promise<Json> {
    const r = await api.post('/api/v1/intel', {
      objects,
      distribution,
      ...(tlp === undefined ? {} : { tlp }),
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body;
  }

  async function assertHidden(api: Client, id: string): Promise<void> {
    const missing = await api.get(`/api/v1/intel/indicator--00000000-0000-4000-8000-000000000000`);
    for (const path of [
      `/api/v1/intel/${id}`,
      `/api/v1/intel/${id}/versions`,
      `/api/v1/intel/${id}/relationships`,
    ]) {
      const r = await api.get(path);
      assertError(r, 404, 'NOT_FOUND');
      assert.deepEqual(
        { code: r.body.code, message: r.body.message, error: r.body.error },
        { code: missing.body.code, message: missing.body.message, error: missing.body.error },
        'invisible is exactly like missing',
      );
    }
  }

  describe('every TLP × distribution', () => {
    const stored = new Map<string, readonly Who[]>();
    const names = new Map<string, string>();
    let mark: () => Promise<Json[]>;

    before(async () => {
      mark = await auditMark(s);
      for (const k of DIST_KINDS) {
        const objects = LEVELS.map((tlp) =>
          indicator({ tlp, name: `matrix ${tlp} ${k} ${Math.random().toString(36).slice(2)}` }),
        );
        const result = await share(A.api, objects, dist(k));
        for (const [i, tlp] of LEVELS.entries()) {
          const o = objects[i] as { id: string; name: string };
          const exp = expected(tlp, k);
          const failure = result.failures.find((f: Json) => f.index === i);
          if (exp === null) {
            assert.ok(failure, `${tlp}/${k} should be refused`);
            assert.equal(failure.code, 'DISTRIBUTION_NOT_ALLOWED', JSON.stringify(failure));
            assert.equal(failure.id, o.id);
          } else {
            assert.equal(failure, undefined, `${tlp}/${k}: ${JSON.stringify(failure)}`);
            stored.set(o.id, exp);
            names.set(o.id, o.name);
          }
        }
      }
    });

    it('the share is audited as intel.share once per stored object', async () => {
      const events = (await mark()).filter((e) => e.action === 'intel.share');
      assert.deepEqual(new Set(events.map((e) => e.subject_id)), new Set(stored.keys()));
      assert.equal(events.length, stored.size);
      for (const e of events) assert.equal(e.actor_org_id, A.org.id);
    });

    it('public needs CLEAR, RED needs named recipients — refusals store nothing', async () => {
      assert.equal(stored.size, 30 - 5 - 2); // public: 5 refused; red: group and community refused
      const green = indicator({ tlp: 'green' });
      const r = await share(A.api, [green], { kind: 'public' });
      assert.deepEqual(r.successes, []);
      assert.equal(r.failures[0].code, 'DISTRIBUTION_NOT_ALLOWED');
      assertError(await A.api.get(`/api/v1/intel/${green.id}`), 404, 'NOT_FOUND');
      // The default TLP of unmarked objects counts too.
      const unmarked = indicator();
      const r2 = await share(A.api, [unmarked], { kind: 'public' }, 'green');
      assert.equal(r2.failures[0].code, 'DISTRIBUTION_NOT_ALLOWED');
      const r3 = await share(A.api, [indicator()], { kind: 'public' }, 'clear');
      assert.equal(r3.successes.length, 1);
    });

    for (const w of ['A', 'B', 'C', 'D'] as const) {
      it(`${w} gets, lists, searches, versions and exports exactly what the rule allows`, async () => {
        const api: Client = who(w).api;
        const want = new Set([...stored].filter(([, ws]) => ws.includes(w)).map(([id]) => id));
        const matrix = (items: Json[]) =>
          new Set(items.map((v) => v.stixId ?? v.id).filter((id: string) => stored.has(id)));
        // list, following every page
        assert.deepEqual(matrix(await allPages(api, '/api/v1/intel', 7)), want);
        // get / versions: 200 or 404 exactly like missing
        for (const [id] of stored) {
          if (want.has(id)) {
            const g = await api.get(`/api/v1/intel/${id}`);
            assert.equal(g.status, 200, JSON.stringify(g.body));
            assert.equal(g.body.stixId, id);
            assert.equal(g.body.ownerOrgId, A.org.id);
            const v = await api.get(`/api/v1/intel/${id}/versions`);
            assert.equal(v.status, 200);
            assert.deepEqual(
              v.body.items.map((x: Json) => x.stixId),
              [id],
            );
          } else {
            await assertHidden(api, id);
          }
          // search by the object's unique name
          const name = names.get(id) ?? '';
          const found = await api.get(`/api/v1/intel?q=${encodeURIComponent(name.split(' ').at(-1) ?? '')}`);
          assert.equal(found.status, 200);
          assert.deepEqual(matrix(found.body.items), want.has(id) ? new Set([id]) : new Set());
        }
        // exports
        const bundle = await api.get('/api/v1/exports/stix');
        assert.equal(bundle.status, 200);
        assert.equal(bundle.body.type, 'bundle');
        assert.deepEqual(matrix(bundle.body.objects), want);
        const csv = await api.get('/api/v1/exports/csv');
        assert.equal(csv.status, 200);
        const csvIds = new Set(
          (csv.body as string)
            .split('\r\n')
            .map((l) => l.split(',')[0] ?? '')
            .filter((id) => stored.has(id)),
        );
        assert.deepEqual(csvIds, want);
      });
    }

    it('TLP filter narrows within what is visible; tlp=unknown is not a filter value', async () => {
      const red = await allPages(B.api, '/api/v1/intel?tlp=red', 50);
      const mine = red.filter((v) => stored.has(v.stixId));
      assert.equal(mine.length, 1);
      assert.equal(mine[0].distribution, 'orgs');
      assert.equal(
        (await C.api.get('/api/v1/intel?tlp=red')).body.items.filter((v: Json) => stored.has(v.stixId))
          .length,
        0,
      );
    });

    it('a recipient reading TLP:RED or AMBER+STRICT is audited as intel.read; the owner and GREEN are not', async () => {
      const redId = [...stored.keys()].find((id) => names.get(id)?.startsWith('matrix red orgs'));
      const strictId = [...stored.keys()].find((id) =>
        names.get(id)?.startsWith('matrix amber+strict community'),
      );
      const greenId = [...stored.keys()].find((id) => names.get(id)?.startsWith('matrix green community'));
      assert.ok(redId && strictId && greenId);
      const since = await auditMark(s);
      await B.api.get(`/api/v1/intel/${redId}`);
      await C.api.get(`/api/v1/intel/${strictId}`);
      await B.api.get(`/api/v1/intel/${greenId}`);
      await A.api.get(`/api/v1/intel/${redId}`);
      const reads = (await since()).filter((e) => e.action === 'intel.read');
      assert.deepEqual(
        reads.map((e) => [e.subject_id, e.actor_org_id]).sort(),
        [
          [redId, B.org.id],
          [strictId, C.org.id],
        ].sort(),
      );
    });
  });

  it('suspended members and organizations read nothing (403), pending organizations nothing shared', async () => {
    const E = await makeOrg(s);
    const e = await memberWithToken(s, E.id);
    const eSuspended = await memberWithToken(s, E.id);
    const o = indicator({ tlp: 'amber' });
    await share(A.api, [o], { kind: 'orgs', orgIds: [E.id] });
    assert.equal((await e.api.get(`/api/v1/intel/${o.id}`)).status, 200);
    // Suspended by their organization's administrator.
    const eAdmin = await memberWithToken(s, E.id, { roles: ['admin'] });
    const susp = await eAdmin.api.patch(`/api/v1/members/${eSuspended.member.id}`, { status: 'suspended' });
    assert.equal(susp.status, 200, JSON.stringify(susp.body));
    assertError(await eSuspended.api.get(`/api/v1/intel/${o.id}`), 403, 'MEMBER_SUSPENDED');
    assertError(await eSuspended.api.get('/api/v1/intel'), 403, 'MEMBER_SUSPENDED');
    assert.equal((await fetch(`${s.url}/api/v1/exports/stix?token=${eSuspended.token}`)).status, 403);
    const op = await operatorAdmin(s);
    assert.equal((await op.api.patch(`/api/v1/orgs/${E.id}`, { status: 'suspended' })).status, 200);
    assertError(await e.api.get(`/api/v1/intel/${o.id}`), 403, 'ORG_SUSPENDED');
    assertError(await e.api.get('/api/v1/exports/csv'), 403, 'ORG_SUSPENDED');
    // A pending organization cannot share, and nobody's community object reaches it.
    const r = await D.api.post('/api/v1/intel', {
      objects: [indicator()],
      distribution: { kind: 'community' },
    });
    assertError(r, 403, 'FORBIDDEN');
    // Recipients must be vetted.
    const toPending = await A.api.post('/api/v1/intel', {
      objects: [indicator()],
      distribution: { kind: 'orgs', orgIds: [D.org.id] },
    });
    assertError(toPending, 400, 'VALIDATION_FAILED');
    // Anonymous: REST intel requires a member.
    assert.equal((await anonymous(s).get('/api/v1/intel')).status, 401);
  });

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

    // Someone else's id — visible or not — is refused without revealing anything.
    const hiddenFromB = indicator({ tlp: 'green' });
    await share(A.api, [hiddenFromB], { kind: 'org' });
    const takeover = { ...own, modified: '2026-06-01T00:00:00.000Z', created_by_ref: undefined };
    const takeover2 = { ...hiddenFromB, modified: '2026-06-01T00:00:00.000Z', created_by_ref: undefined };
    const r2 = await share(B.api, [takeover, takeover2], { kind: 'community' });
    assert.deepEqual(
      r2.failures.map((f: Json) => [f.code, f.message]),
      [
        ['ID_CONFLICT', 'this id cannot be used'],
        ['ID_CONFLICT', 'this id cannot be used'],
      ],
    );
    assert.equal((await A.api.get(`/api/v1/intel/${own.id}`)).body.ownerOrgId, A.org.id);
    assert.equal((await A.api.get(`/api/v1/intel/${own.id}/versions`)).body.items.length, 1);

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

  it('delete: own objects (all versions or one); others are 404 and unchanged', async () => {
    const id = indicator().id as string;
    const v1 = indicator({ id, tlp: 'green', modified: '2026-02-01T00:00:00.000Z', name: 'd1' });
    const v2 = indicator({ id, tlp: 'green', modified: '2026-03-01T00:00:00.000Z', name: 'd2' });
    await share(A.api, [v1, v2], { kind: 'community' });
    // B sees it but cannot delete it; nor can anyone delete a missing object.
    assert.equal((await B.api.get(`/api/v1/intel/${id}`)).status, 200);
    assertError(await B.api.delete(`/api/v1/intel/${id}`), 404, 'NOT_FOUND');
    assertError(await B.api.delete(`/api/v1/intel/${id}?version=2026-03-01T00:00:00.000Z`), 404, 'NOT_FOUND');
    assertError(
      await A.api.delete('/api/v1/intel/indicator--00000000-0000-4000-8000-000000000000'),
      404,
      'NOT_FOUND',
    );
    assert.equal((await B.api.get(`/api/v1/intel/${id}/versions`)).body.items.length, 2);
    // One version.
    const mark = await auditMark(s);
    assert.equal((await A.api.delete(`/api/v1/intel/${id}?version=2026-03-01T00:00:00.000Z`)).status, 204);
    assert.equal((await B.api.get(`/api/v1/intel/${id}`)).body.object.name, 'd1');
    assert.equal((await A.api.get(`/api/v1/intel/${id}`)).body.object.name, 'd1');
    assertError(await A.api.delete(`/api/v1/intel/${id}?version=2026-03-01T00:00:00.000Z`), 404, 'NOT_FOUND');
    assertError(await A.api.delete(`/api/v1/intel/${id}?version=not-a-time`), 400, 'VALIDATION_FAILED');
    // All versions.
    assert.equal((await A.api.delete(`/api/v1/intel/${id}`)).status, 204);
    await assertHidden(A.api, id);
    await assertHidden(B.api, id);
    const bundle = await B.api.get('/api/v1/exports/stix');
    assert.equal(bundle.body.objects.filter((o: Json) => o.id === id).length, 0);
    const events = (await mark()).filter((e) => e.action === 'intel.delete');
    assert.equal(events.length, 2);
  });

  it('relays: RED and AMBER+STRICT never; a recipient relays into its own group; the rule still applies', async () => {
    const gBC = await B.api.post('/api/v1/groups', { name: 'B and C', orgIds: [C.org.id] });
    assert.equal(gBC.status, 201);
    const toGroup = { distribution: { kind: 'group', groupId: gBC.body.id } };
    const red = indicator({ tlp: 'red' });
    const strict = indicator({ tlp: 'amber+strict' });
    const green = indicator({ tlp: 'green' });
    const amberToB = indicator({ tlp: 'amber' });
    await share(A.api, [red, amberToB], { kind: 'orgs', orgIds: [B.org.id] });
    await share(A.api, [strict, green], { kind: 'community' });
    assertError(await B.api.post(`/api/v1/intel/${red.id}/relay`, toGroup), 403, 'FORBIDDEN');
    assertError(await B.api.post(`/api/v1/intel/${strict.id}/relay`, toGroup), 403, 'FORBIDDEN');
    // Only into a sharing group; never wider.
    assertError(
      await B.api.post(`/api/v1/intel/${green.id}/relay`, { distribution: { kind: 'public' } }),
      403,
      'FORBIDDEN',
    );
    assertError(
      await B.api.post(`/api/v1/intel/${amberToB.id}/relay`, { distribution: { kind: 'community' } }),
      403,
      'FORBIDDEN',
    );
    // Not a member of the group: 404; an invisible object: 404; one's own object: 409.
    assertError(
      await C.api.post(`/api/v1/intel/${green.id}/relay`, {
        distribution: { kind: 'group', groupId: groupAB },
      }),
      404,
      'NOT_FOUND',
    );
    assertError(await C.api.post(`/api/v1/intel/${amberToB.id}/relay`, toGroup), 404, 'NOT_FOUND');
    assertError(
      await A.api.post(`/api/v1/intel/${green.id}/relay`, {
        distribution: { kind: 'group', groupId: groupAB },
      }),
      409,
      'CONFLICT',
    );

    const mark = await auditMark(s);
    assert.equal((await B.api.post(`/api/v1/intel/${green.id}/relay`, toGroup)).status, 204);
    assert.equal((await B.api.post(`/api/v1/intel/${amberToB.id}/relay`, toGroup)).status, 204);
    assert.equal((await mark()).filter((e) => e.action === 'intel.relay').length, 2);
    // The relay never widens: C (a group member) still cannot see the AMBER object shared with B only.
    await assertHidden(C.api, amberToB.id as string);
    assert.equal((await C.api.get(`/api/v1/intel/${green.id}`)).status, 200);
    // In the group's collection (the service's view of it): both for B, only GREEN for C.
    const coll = { collection: { kind: 'group' as const, groupId: gBC.body.id }, limit: 100 };
    const forB = await listObjects(await memberContext(s, B.token), coll);
    assert.deepEqual(new Set(forB.items.map((v) => v.stixId)), new Set([green.id, amberToB.id]));
    const forC = await listObjects(await memberContext(s, C.token), coll);
    assert.deepEqual(
      forC.items.map((v) => v.stixId),
      [green.id],
    );
  });

  it('sharing groups: CRUD for the owner, read for members, 404 for others, 403 for non-owners', async () => {
    const created = await A.api.post('/api/v1/groups', { name: 'Regional', orgIds: [B.org.id] });
    assert.equal(created.status, 201);
    const g = created.body;
    assert.equal(g.ownerOrgId, A.org.id);
    assert.deepEqual(g.orgIds, [A.org.id, B.org.id].sort());
    assert.ok((await B.api.get('/api/v1/groups')).body.items.some((x: Json) => x.id === g.id));
    assert.ok(!(await C.api.get('/api/v1/groups')).body.items.some((x: Json) => x.id === g.id));
    assert.equal((await B.api.get(`/api/v1/groups/${g.id}`)).status, 200);
    const missing = await C.api.get('/api/v1/groups/grp_00000000-0000-4000-8000-000000000000');
    for (const r of [
      await C.api.get(`/api/v1/groups/${g.id}`),
      await C.api.patch(`/api/v1/groups/${g.id}`, { name: 'mine now' }),
      await C.api.delete(`/api/v1/groups/${g.id}`),
      await D.api.get(`/api/v1/groups/${g.id}`),
    ]) {
      assertError(r, 404, 'NOT_FOUND');
      assert.equal(r.body.message, missing.body.message);
    }
    assertError(await B.api.patch(`/api/v1/groups/${g.id}`, { name: 'mine now' }), 403, 'FORBIDDEN');
    assertError(await B.api.delete(`/api/v1/groups/${g.id}`), 403, 'FORBIDDEN');
    // C cannot share into a group it is not in.
    assertError(
      await C.api.post('/api/v1/intel', {
        objects: [indicator()],
        distribution: { kind: 'group', groupId: g.id },
      }),
      404,
      'NOT_FOUND',
    );
    // Bad members: pending organizations, unknown ids, empty names, unknown fields.
    assertError(
      await A.api.post('/api/v1/groups', { name: 'x', orgIds: [D.org.id] }),
      400,
      'VALIDATION_FAILED',
    );
    assertError(
      await A.api.post('/api/v1/groups', { name: 'x', orgIds: ['org_nope'] }),
      400,
      'VALIDATION_FAILED',
    );
    assertError(await A.api.post('/api/v1/groups', { name: '', orgIds: [] }), 400, 'VALIDATION_FAILED');
    assertError(
      await A.api.post('/api/v1/groups', { name: 'x', orgIds: [], owner: B.org.id }),
      400,
      'VALIDATION_FAILED',
    );
    // Owner updates: rename, add C; the owner always stays a member.
    const upd = await A.api.patch(`/api/v1/groups/${g.id}`, { name: 'Regional 2', orgIds: [C.org.id] });
    assert.equal(upd.status, 200, JSON.stringify(upd.body));
    assert.equal(upd.body.name, 'Regional 2');
    assert.deepEqual(upd.body.orgIds, [A.org.id, C.org.id].sort());
    assert.equal((await C.api.get(`/api/v1/groups/${g.id}`)).status, 200);
    assertError(await B.api.get(`/api/v1/groups/${g.id}`), 404, 'NOT_FOUND');
    // In use: 409; after the object is deleted, the group can go.
    const o = indicator({ tlp: 'amber' });
    await share(A.api, [o], { kind: 'group', groupId: g.id });
    assert.equal((await C.api.get(`/api/v1/intel/${o.id}`)).status, 200);
    assertError(await A.api.delete(`/api/v1/groups/${g.id}`), 409, 'CONFLICT');
    assert.equal((await A.api.delete(`/api/v1/intel/${o.id}`)).status, 204);
    assert.equal((await A.api.delete(`/api/v1/groups/${g.id}`)).status, 204);
    assertError(await A.api.get(`/api/v1/groups/${g.id}`), 404, 'NOT_FOUND');
    // Read-only roles of the owner organization cannot manage groups.
    const viewer = await memberWithToken(s, A.org.id, { roles: ['auditor'] });
    const byViewer = await viewer.api.post('/api/v1/groups', { name: 'nope', orgIds: [] });
    assert.ok(byViewer.status === 403 || byViewer.status === 400, JSON.stringify(byViewer.body));
  });

  it('exports: STIX bundle, CSV without formula injection, blocklists per kind, ?token= polling', async () => {
    const F = await makeOrg(s);
    const f = await memberWithToken(s, F.id);
    const G = await makeOrg(s);
    const g = await memberWithToken(s, G.id);
    const ip = observable('ipv4-addr', '203.0.113.77', 'green');
    const dom = observable('domain-name', 'evil.example', 'green');
    const url = observable('url', 'http://evil.example/a?b=1', 'green');
    const hash = observable('file', 'AB'.repeat(32), 'green');
    const ind = indicator({
      tlp: 'amber',
      name: "=cmd|' /C calc'!A0",
      description: '+SUM(1,2)',
      pattern: "[ipv4-addr:value = '192.0.2.55'] OR [domain-name:value = 'bad.example']",
    });
    const formula2 = indicator({
      tlp: 'amber',
      name: '@HYPERLINK("http://x","y"), "quoted"',
      pattern: "[ipv4-addr:value = '203.0.113.77']",
    });
    // Whitespace in a value would inject a second entry for parsers that split on it.
    const injection = indicator({ tlp: 'amber', pattern: "[domain-name:value = 'inj.example google.com']" });
    const secretIp = indicator({ tlp: 'red', pattern: "[ipv4-addr:value = '192.0.2.99']" });
    const otherOrg = indicator({ tlp: 'amber', pattern: "[ipv4-addr:value = '192.0.2.100']" });
    await share(f.api, [ip, dom, url, hash, ind, formula2, injection], { kind: 'orgs', orgIds: [G.id] });
    await share(f.api, [secretIp], { kind: 'orgs', orgIds: [B.org.id] });
    await share(B.api, [otherOrg], { kind: 'orgs', orgIds: [C.org.id] });
    const org = `org=${F.id}`;

    const bundle = await g.api.get(`/api/v1/exports/stix?${org}`);
    assert.equal(bundle.status, 200);
    assert.match(bundle.headers.get('content-type') ?? '', /^application\/stix\+json/);
    assert.equal(bundle.body.type, 'bundle');
    assert.match(bundle.body.id, /^bundle--/);
    assert.deepEqual(
      new Set(bundle.body.objects.map((o: Json) => o.id)),
      new Set([ip.id, dom.id, url.id, hash.id, ind.id, formula2.id, injection.id]),
    );
    assert.deepEqual(
      bundle.body.objects.find((o: Json) => o.id === ind.id),
      ind,
      'exported exactly as shared',
    );

    const csv = await g.api.get(`/api/v1/exports/csv?${org}`);
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type') ?? '', /^text\/csv/);
    const text = csv.body as string;
    const lines = text.split('\r\n').filter(Boolean);
    assert.equal(lines.length, 8);
    for (const line of lines) {
      // No cell begins with a formula character (cells may be quoted).
      for (const cell of line.match(/("([^"]|"")*"|[^,]*)(,|$)/g) ?? []) {
        assert.doesNotMatch(cell.replace(/^"/, ''), /^[=+\-@]/, line);
      }
    }
    assert.ok(text.includes(`'=cmd|' /C calc'!A0`), text);
    assert.ok(text.includes(`"'@HYPERLINK(""http://x"",""y""), ""quoted"""`), text);

    const list = async (kind: string) => {
      const r = await g.api.get(`/api/v1/exports/blocklist?kind=${kind}&${org}`);
      assert.equal(r.status, 200);
      assert.match(r.headers.get('content-type') ?? '', /^text\/plain/);
      return (r.body as string).split('\n').filter(Boolean);
    };
    assert.deepEqual(await list('ip'), ['192.0.2.55', '203.0.113.77']);
    assert.deepEqual(await list('domain'), ['bad.example', 'evil.example']);
    assert.deepEqual(await list('url'), ['http://evil.example/a?b=1']);
    assert.deepEqual(await list('hash'), ['ab'.repeat(32)]);
    assertError(await g.api.get('/api/v1/exports/blocklist?kind=asn'), 400, 'VALIDATION_FAILED');

    // A device polls with ?token= (no headers); invisible objects never appear in any export.
    for (const path of ['/api/v1/exports/blocklist?kind=ip', '/api/v1/exports/stix', '/api/v1/exports/csv']) {
      const sep = path.includes('?') ? '&' : '?';
      const r = await fetch(`${s.url}${path}${sep}token=${encodeURIComponent(g.token)}`);
      assert.equal(r.status, 200);
      const body = await r.text();
      assert.ok(body.includes('203.0.113.77') || body.includes(ip.id as string), path);
      for (const hidden of ['192.0.2.99', '192.0.2.100', secretIp.id as string, otherOrg.id as string])
        assert.ok(!body.includes(hidden), `${path} leaks ${hidden}`);
      const noToken = await fetch(`${s.url}${path}`);
      assert.equal(noToken.status, 401);
      const badToken = await fetch(`${s.url}${path}${sep}token=tbl_not-a-token`);
      assert.equal(badToken.status, 401);
    }
    // C sees B's object but not F's.
    const cIps = await C.api.get('/api/v1/exports/blocklist?kind=ip');
    assert.ok((cIps.body as string).includes('192.0.2.100'));
    assert.ok(!(cIps.body as string).includes('203.0.113.77'));
    // An export is audited.
    const mark = await auditMark(s);
    await B.api.get('/api/v1/exports/stix');
    assert.ok((await mark()).some((e) => e.action === 'intel.export'));
  });

  it('relationships: only visible relationships referencing the object', async () => {
    const target = indicator({ tlp: 'green' });
    const src = indicator({ tlp: 'green' });
    const visible = relationship(src.id as string, target.id as string, 'green');
    const hidden = relationship(src.id as string, target.id as string, 'unknown');
    const elsewhere = relationship(
      src.id as string,
      'malware--6c3d8e5a-1b2c-4d3e-8f4a-5b6c7d8e9f0a',
      'green',
    );
    await share(A.api, [target, src, visible, hidden, elsewhere], { kind: 'community' });
    const forB = await B.api.get(`/api/v1/intel/${target.id}/relationships`);
    assert.equal(forB.status, 200);
    assert.deepEqual(
      forB.body.items.map((v: Json) => v.stixId),
      [visible.id],
    );
    const forA = await A.api.get(`/api/v1/intel/${target.id}/relationships`);
    assert.deepEqual(new Set(forA.body.items.map((v: Json) => v.stixId)), new Set([visible.id, hidden.id]));
    await assertHidden(B.api, hidden.id as string);
  });

  it('unknown markings: any non-TLP marking-definition makes the object visible to its owner only', async () => {
    const mixed = {
      ...indicator({ tlp: 'green' }),
      object_marking_refs: [UNKNOWN_MARKING, 'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9'],
    };
    await share(A.api, [mixed], { kind: 'community' });
    const mine = await A.api.get(`/api/v1/intel/${mixed.id}`);
    assert.equal(mine.status, 200);
    assert.equal(mine.body.tlp, 'unknown');
    await assertHidden(B.api, mixed.id as string);
    await assertHidden(C.api, mixed.id as string);
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
