import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { createGroup } from '../../src/features/intel/index.ts';
import { makeOrg, memberWithToken, startWithOperator } from '../support/arrange.ts';
import { describeEachEngine } from '../support/databases.ts';
import type { TestServer } from '../support/server.ts';
import { indicator, memberContext, ROOT, TaxiiClient } from '../support/taxii.ts';

// GET /api/v1/taxii — the web app's "TAXII feeds" page — must list exactly the collections the
// TAXII server lists for the same member, and count exactly what TAXII pages return in each.
interface Summary {
  id: string;
  title: string;
  canRead: boolean;
  canWrite: boolean;
  objectsUrl: string;
  objects: number;
  objectsCapped: boolean;
}

describeEachEngine('GET /api/v1/taxii: the caller’s TAXII collections and what they hold', (engine) => {
  let s: TestServer;
  before(async () => {
    s = await startWithOperator(engine);
  });
  after(async () => s.close());

  async function rest(token: string | undefined) {
    const res = await fetch(`${s.url}/api/v1/taxii`, {
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  it('matches the TAXII collections list and counts each collection as TAXII pages it', async () => {
    const aOrg = await makeOrg(s);
    const a = await memberWithToken(s, aOrg.id);
    const bOrg = await makeOrg(s);
    const b = await memberWithToken(s, bOrg.id);
    const aTaxii = TaxiiClient.basic(s, a.email, a.token);
    const bTaxii = TaxiiClient.basic(s, b.email, b.token);
    await createGroup(await memberContext(s, a.token), { name: 'Piedmont counties', orgIds: [bOrg.id] });
    const community = await aTaxii.collectionTitled('Community');
    const group = await aTaxii.collectionTitled('Piedmont counties');
    // Two versions of one object count once (latest versions); an object A keeps to itself is A's only.
    const green = indicator({ tlp: 'green' });
    const greenV2 = {
      ...green,
      modified: new Date(Date.parse(green.modified as string) + 1000).toISOString(),
    };
    await aTaxii.add(community, [green, greenV2, indicator({ tlp: 'amber' }), indicator({ tlp: 'clear' })]);
    await aTaxii.add(group, [indicator({ tlp: 'green' }), indicator({ tlp: 'amber' })]);
    await aTaxii.add(await aTaxii.collectionTitled(aOrg.name), [indicator({ tlp: 'amber' })]);

    for (const [token, taxii] of [
      [a.token, aTaxii],
      [b.token, bTaxii],
    ] as const) {
      const r = await rest(token);
      assert.equal(r.status, 200);
      assert.equal(r.body.discoveryUrl, `${s.url}/taxii2/`);
      assert.equal(r.body.apiRootUrl, `${s.url}${ROOT}/`);
      const summaries = r.body.collections as Summary[];
      const listed = await taxii.collections();
      assert.deepEqual(
        summaries.map((c) => [c.id, c.title, c.canRead, c.canWrite]),
        listed.map((c: Record<string, unknown>) => [c.id, c.title, c.can_read, c.can_write]),
      );
      for (const c of summaries) {
        assert.equal(c.objectsUrl, `${s.url}${ROOT}/collections/${c.id}/objects/`);
        const page = await taxii.get(`${ROOT}/collections/${c.id}/objects/?limit=1000`);
        assert.equal(page.status, 200);
        assert.equal(c.objects, (page.body.objects ?? []).length, `${c.title} for ${token.slice(0, 8)}`);
        assert.equal(c.objectsCapped, false);
      }
      const counts = Object.fromEntries(summaries.map((c) => [c.title, c.objects]));
      assert.equal(counts.Community, 3);
      assert.equal(counts['Piedmont counties'], 2);
      assert.equal(counts.Public, 0);
      // A's own collection holds the 6 objects it shared; B's holds nothing (nothing was named to B).
      assert.equal(summaries[2]?.objects, token === a.token ? 6 : 0);
    }
  });

  it('is for signed-in members only', async () => {
    const r = await rest(undefined);
    assert.equal(r.status, 401);
    assert.equal(r.body.code, 'UNAUTHENTICATED');
  });
});
