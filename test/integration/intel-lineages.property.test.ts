// Property (issue 9 §2): under concurrent writers — several organizations sharing versions of the same
// new ids at once, each request racing the others — every share is answered (no 5xx), each
// organization's versions are stored once in its own lineage, every lineage has one start time, and
// every member is presented exactly what the policy reference `presentedVersions` says: of each id one
// lineage (its own, else the earliest it can see), never a version of another organization mixed in.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import fc from 'fast-check';
import { type Actor, presentedVersions } from '../../src/policy/index.ts';
import { makeOrg, memberWithToken, startWithOperator } from '../support/arrange.ts';
import { describeEachEngine } from '../support/databases.ts';
import { indicator, memberContext } from '../support/intel.ts';
import type { TestServer } from '../support/server.ts';

// biome-ignore lint/suspicious/noExplicitAny: REST replies are JSON inspected dynamically
type Json = any;

const worldArb = fc.record({
  orgs: fc.integer({ min: 2, max: 4 }),
  ids: fc.integer({ min: 1, max: 3 }),
  shares: fc.array(
    fc.record({
      org: fc.nat(),
      id: fc.nat(),
      day: fc.integer({ min: 1, max: 4 }),
      kind: fc.constantFrom('community', 'community', 'org'),
    }),
    { minLength: 2, maxLength: 16 },
  ),
});

describeEachEngine('intel lineages property: parallel shares of the same ids', (engine) => {
  let s: TestServer;
  before(async () => {
    s = await startWithOperator(engine);
  });
  after(async () => s.close());

  it('every member is presented one lineage per id, as the policy says, whatever the interleaving', async () => {
    await fc.assert(
      fc.asyncProperty(worldArb, async (world) => {
        const orgs: (Awaited<ReturnType<typeof memberWithToken>> & {
          org: Awaited<ReturnType<typeof makeOrg>>;
          actor: Actor;
        })[] = [];
        for (let i = 0; i < world.orgs; i++) {
          const org = await makeOrg(s);
          const m = await memberWithToken(s, org.id, { roles: ['analyst'] });
          orgs.push({ org, ...m, actor: (await memberContext(s, m.token)).actor as Actor });
        }
        const ids = Array.from({ length: world.ids }, () => indicator().id);
        const pick = <T>(xs: readonly T[], i: number): T => xs[i % xs.length] as T;

        // Every share at once: one request each.
        const replies = await Promise.all(
          world.shares.map((x) => {
            const modified = `2026-05-0${x.day}T00:00:00.000Z`;
            const o = indicator({ id: pick(ids, x.id), modified, tlp: 'green' });
            return pick(orgs, x.org).api.post('/api/v1/intel', {
              objects: [o],
              distribution: { kind: x.kind },
            });
          }),
        );
        const wanted = new Set<string>();
        for (const [i, r] of replies.entries()) {
          assert.equal(r.status, 200, JSON.stringify(r.body));
          const x = world.shares[i] as (typeof world.shares)[number];
          const key = `${pick(orgs, x.org).org.id}|${pick(ids, x.id)}|2026-05-0${x.day}T00:00:00.000Z`;
          wanted.add(key);
          for (const f of r.body.failures) assert.equal(f.code, 'DUPLICATE_VERSION', JSON.stringify(f));
        }

        // What is stored: each (owner, id, version) once; one start time per lineage.
        const stored = await s.db.kysely
          .selectFrom('intel_objects')
          .select(['stix_id', 'owner_org_id', 'modified', 'lineage_at', 'distribution'])
          .where('stix_id', 'in', ids)
          .execute();
        assert.deepEqual(
          stored.map((r) => `${r.owner_org_id}|${r.stix_id}|${r.modified}`).sort(),
          [...wanted].sort(),
        );
        const starts = new Map<string, Set<string | null>>();
        for (const r of stored) {
          const k = `${r.owner_org_id}|${r.stix_id}`;
          starts.set(k, (starts.get(k) ?? new Set()).add(r.lineage_at));
        }
        for (const [k, v] of starts) assert.equal(v.size, 1, `one start for lineage ${k}`);

        const versions = stored.map((r) => ({
          stixId: r.stix_id,
          ownerOrgId: r.owner_org_id,
          lineageAt: r.lineage_at ?? '',
          modified: r.modified ?? '',
          distribution: r.distribution as 'community' | 'org',
        }));
        for (const o of orgs) {
          const expected = presentedVersions(o.actor, versions, (v) => ({
            deleted: false,
            ownerOrgId: v.ownerOrgId,
            tlp: 'green',
            distribution: v.distribution,
            recipientOrgIds: [],
            groupOrgIds: [],
          }));
          for (const id of ids) {
            const mine = expected
              .filter((v) => v.stixId === id)
              .sort((a, b) => a.modified.localeCompare(b.modified));
            const g = await o.api.get(`/api/v1/intel/${id}`);
            const v = await o.api.get(`/api/v1/intel/${id}/versions`);
            if (mine.length === 0) {
              assert.equal(g.status, 404);
              assert.equal(v.status, 404);
              continue;
            }
            const owners = new Set(mine.map((x) => x.ownerOrgId));
            assert.equal(owners.size, 1, 'the reference presents one lineage');
            assert.equal(g.status, 200);
            assert.equal(g.body.ownerOrgId, mine[0]?.ownerOrgId);
            assert.equal(g.body.modified, mine.at(-1)?.modified);
            assert.deepEqual(
              v.body.items.map((x: Json) => [x.ownerOrgId, x.modified]),
              mine.map((x) => [x.ownerOrgId, x.modified]),
            );
          }
        }
      }),
      { numRuns: Number(process.env.TABELLA_PROPERTY_RUNS ?? 12), endOnFailure: true },
    );
  });
});
