// Intel REST API (issue 4, docs/sharing.md): who sees what under every TLP × distribution through
// every REST door (get, list, search, versions, relationships, exports), suspended and pending
// members and organizations, and unknown markings. Expectations here are written out by hand from
// docs/sharing.md, not derived from src/policy, so they check the rule itself.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Distribution, TLPS, type Tlp } from '../../src/policy/index.ts';
import {
  anonymous,
  assertError,
  auditMark,
  makeOrg,
  memberWithToken,
  operatorAdmin,
} from '../support/arrange.ts';
import { describeEachEngine } from '../support/databases.ts';
import {
  allPages,
  assertHidden,
  indicator,
  relationship,
  type SharingMember,
  share,
  startSharingWorld,
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
  // RED and AMBER+STRICT ("the recipient organization only") go to named organizations only.
  if ((tlp === 'red' || tlp === 'amber+strict') && (dist === 'group' || dist === 'community')) return null;
  if (tlp === 'unknown' || dist === 'org') return ['A'];
  if (dist === 'orgs' || dist === 'group') return ['A', 'B'];
  return ['A', 'B', 'C'];
}

describeEachEngine('intel REST API: visibility under every TLP × distribution', (engine) => {
  let s: TestServer;
  let A: SharingMember;
  let B: SharingMember;
  let C: SharingMember;
  let D: SharingMember;
  let groupAB: string;
  before(async () => {
    ({ s, A, B, C, D, groupAB } = await startSharingWorld(engine));
  });
  after(async () => s.close());

  const who = (w: Who): Json => ({ A, B, C, D })[w];
  const dist = (k: (typeof DIST_KINDS)[number]): Distribution =>
    k === 'orgs'
      ? { kind: 'orgs', orgIds: [B.org.id] }
      : k === 'group'
        ? { kind: 'group', groupId: groupAB }
        : { kind: k };

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

    it('public needs CLEAR, RED and AMBER+STRICT need named recipients — refusals store nothing', async () => {
      // public: 5 refused; red and amber+strict: group and community refused
      assert.equal(stored.size, 30 - 5 - 4);
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
      const strictId = [...stored.keys()].find((id) => names.get(id)?.startsWith('matrix amber+strict orgs'));
      const greenId = [...stored.keys()].find((id) => names.get(id)?.startsWith('matrix green community'));
      assert.ok(redId && strictId && greenId);
      const since = await auditMark(s);
      await B.api.get(`/api/v1/intel/${redId}`);
      await B.api.get(`/api/v1/intel/${strictId}`);
      await B.api.get(`/api/v1/intel/${greenId}`);
      await A.api.get(`/api/v1/intel/${redId}`);
      const reads = (await since()).filter((e) => e.action === 'intel.read');
      assert.deepEqual(
        reads.map((e) => [e.subject_id, e.actor_org_id]).sort(),
        [
          [redId, B.org.id],
          [strictId, B.org.id],
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
});
