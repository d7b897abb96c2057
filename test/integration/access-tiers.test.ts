// Access tiers (issue 11 §5, docs/sharing.md "Access tiers"): TLP:AMBER+STRICT and TLP:RED that
// another organization sends by name reach the recipient's tier-2 members only. A tier-1 member
// gets 404 for them, exactly as for a missing object, and they are not in its pages, counts,
// exports or TAXII collections; an organization's own objects reach all its members; a change of
// tier takes effect at the next request. Expectations are written out by hand, not derived from
// src/policy.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { makeOrg, memberWithToken, startWithOperator } from '../support/arrange.ts';
import { describeEachEngine } from '../support/databases.ts';
import { allPages, assertHidden, observable, share } from '../support/intel.ts';
import type { Client } from '../support/json-client.ts';
import type { TestServer } from '../support/server.ts';
import { ROOT, TaxiiClient } from '../support/taxii.ts';

// biome-ignore lint/suspicious/noExplicitAny: REST replies are JSON inspected dynamically
type Json = any;
type Member = Awaited<ReturnType<typeof memberWithToken>>;
const TLPS = ['green', 'amber', 'amber+strict', 'red'] as const;

describeEachEngine('access tiers: received AMBER+STRICT and RED reach tier-2 members only', (engine) => {
  let s: TestServer;
  let owner: Member;
  let tier1: Member;
  let tier2: Member;
  let admin: Member;
  let bOrgName: string;
  const ids = new Map<string, string>();
  const value = (tlp: string) => `192.0.2.${TLPS.indexOf(tlp as never) + 10}`;
  before(async () => {
    s = await startWithOperator(engine);
    const a = await makeOrg(s);
    const b = await makeOrg(s);
    bOrgName = b.name;
    owner = await memberWithToken(s, a.id, { tier: 1 });
    tier1 = await memberWithToken(s, b.id, { tier: 1 });
    tier2 = await memberWithToken(s, b.id, { tier: 2 });
    admin = await memberWithToken(s, b.id, { roles: ['admin'], tier: 2 });
    for (const tlp of TLPS) {
      const r = await share(owner.api, [observable('ipv4-addr', value(tlp), tlp)], {
        kind: 'orgs',
        orgIds: [b.id],
      });
      assert.equal(r.successes.length, 1, JSON.stringify(r));
      ids.set(tlp, r.successes[0].id);
    }
  });
  after(async () => s.close());

  const id = (tlp: string) => ids.get(tlp) ?? '';
  const restIds = async (api: Client) =>
    (await allPages(api, '/api/v1/intel', 2)).map((v: Json) => v.stixId as string).sort();
  const blocklist = async (api: Client) => {
    const r = await api.get('/api/v1/exports/blocklist?kind=ip');
    assert.equal(r.status, 200);
    return String(r.body ?? '')
      .trim()
      .split('\n')
      .filter(Boolean)
      .sort();
  };
  const taxiiView = async (m: Member) => {
    const taxii = TaxiiClient.basic(s, m.email, m.token);
    const own = await taxii.collectionTitled(bOrgName);
    const objects = await taxii.get(`${ROOT}/collections/${own}/objects/`);
    const connection = await m.api.get('/api/v1/taxii');
    return {
      ids: (objects.body.objects ?? []).map((o: Json) => o.id as string).sort(),
      count: connection.body.collections.find((c: Json) => c.title === bOrgName).objects as number,
    };
  };
  const expected = (tlps: readonly string[]) => tlps.map(id).sort();

  it('a tier-1 member: 404 for received AMBER+STRICT and RED, absent from pages, counts, exports and TAXII', async () => {
    for (const tlp of ['amber+strict', 'red']) await assertHidden(tier1.api as Client, id(tlp));
    for (const tlp of ['green', 'amber'])
      assert.equal((await tier1.api.get(`/api/v1/intel/${id(tlp)}`)).status, 200);
    assert.deepEqual(await restIds(tier1.api as Client), expected(['green', 'amber']));
    assert.deepEqual(await blocklist(tier1.api as Client), [value('green'), value('amber')].sort());
    assert.deepEqual(await taxiiView(tier1), { ids: expected(['green', 'amber']), count: 2 });
    const taxii = TaxiiClient.basic(s, tier1.email, tier1.token);
    const own = await taxii.collectionTitled(bOrgName);
    assert.equal((await taxii.get(`${ROOT}/collections/${own}/objects/${id('red')}/`)).status, 404);
  });

  it('a tier-2 member of the same organization sees all four', async () => {
    const all = expected(TLPS);
    assert.deepEqual(await restIds(tier2.api as Client), all);
    assert.deepEqual(await blocklist(tier2.api as Client), TLPS.map(value).sort());
    assert.deepEqual(await taxiiView(tier2), { ids: all, count: 4 });
  });

  it("the owner's own objects reach its tier-1 members", async () => {
    assert.deepEqual(await restIds(owner.api as Client), expected(TLPS));
    assert.equal((await owner.api.get(`/api/v1/intel/${id('red')}`)).status, 200);
  });

  it('raising and lowering a tier takes effect at the next request', async () => {
    const patch = (tier: 1 | 2) => admin.api.patch(`/api/v1/members/${tier1.member.id}`, { tier });
    assert.equal((await patch(2)).status, 200);
    assert.equal((await tier1.api.get(`/api/v1/intel/${id('red')}`)).status, 200);
    assert.equal((await patch(1)).status, 200);
    await assertHidden(tier1.api as Client, id('red'));
  });
});
