// TAXII polling never misses an object (issue 10 §3; TAXII 2.1 §3.4.1/§3.4.2, docs/taxii.md
// "Polling"): a client that polls a collection from the last `date_added` it saw must eventually
// see every object added to it, even while a large share and small shares commit concurrently, on
// one node and across two nodes (two servers' connections over one database).
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { ManualClock } from '../../src/core/clock.ts';
import { type Db, openDatabase } from '../../src/db/index.ts';
import type { ServiceContext } from '../../src/features/context.ts';
import { shareObjects } from '../../src/features/intel/index.ts';
import { describeEachEngine } from '../support/databases.ts';
import { indicator, memberContext, type SharingMember, startSharingWorld } from '../support/intel.ts';
import type { TestServer } from '../support/server.ts';
import { ROOT, TaxiiClient } from '../support/taxii.ts';

const community = { kind: 'community' } as const;

/** Polls `collection` from the last `date_added` seen (X-TAXII-Date-Added-Last) until told to stop. */
function poller(client: TaxiiClient, collection: string) {
  const seen = new Set<string>();
  let addedAfter: string | undefined;
  let stop = false;
  let polls = 0;
  const pollOnce = async (): Promise<number> => {
    const q = addedAfter === undefined ? '' : `&added_after=${encodeURIComponent(addedAfter)}`;
    const r = await client.get(`${ROOT}/collections/${collection}/objects/?limit=200${q}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    polls++;
    const objects: { id: string }[] = r.body.objects ?? [];
    for (const o of objects) seen.add(o.id);
    const last = r.headers.get('x-taxii-date-added-last');
    if (last !== null) addedAfter = last;
    return objects.length;
  };
  const running = (async () => {
    while (!stop) {
      await pollOnce();
      await new Promise((r) => setTimeout(r, 10));
    }
    // The writers are done: drain what is left, as a client eventually would.
    while ((await pollOnce()) > 0) {}
  })();
  return {
    seen,
    polls: () => polls,
    finish: async () => {
      stop = true;
      await running;
    },
  };
}

describeEachEngine('TAXII added_after polling is complete under concurrent writers', (engine) => {
  let s: TestServer;
  let A: SharingMember;
  let B: SharingMember;
  let C: SharingMember;
  let groupAB: string;
  let node2: Db;
  before(async () => {
    ({ s, A, B, C, groupAB } = await startSharingWorld(engine));
    // A second node: its own connection (pool) to the same database, its clock an hour behind.
    node2 = await openDatabase(s.config.db);
  });
  after(async () => {
    await node2.close();
    await s.close();
  });

  async function onNode2(member: SharingMember): Promise<ServiceContext> {
    const ctx = await memberContext(s, member.token);
    return { ...ctx, db: node2.kysely, clock: new ManualClock(s.clock.now() - 3600_000) };
  }

  it('a 4,500-object share racing 1-object shares on one node and on a second node: the poller sees every object', async () => {
    const reader = TaxiiClient.basic(s, C.email, C.token);
    const collection = await reader.collectionTitled('Community');
    const poll = poller(reader, collection);
    // Let the poller reach the current end of the collection first.
    while (poll.polls() < 2) await new Promise((r) => setTimeout(r, 5));

    const written: string[] = [];
    const big = Array.from({ length: 4500 }, () => indicator({ tlp: 'green' }));
    const aCtx = await memberContext(s, A.token);
    const bCtx = await memberContext(s, B.token);
    const bCtx2 = await onNode2(B);
    let bigDone = false;
    const bigShare = shareObjects(aCtx, { objects: big, source: 'rest', distribution: community }).then(
      (r) => {
        bigDone = true;
        return r;
      },
    );
    const small = async (ctx: ServiceContext): Promise<void> => {
      // Small shares keep committing while the large one is in flight, and a few after it.
      for (let i = 0; i < 200 && (!bigDone || i < 5); i++) {
        const o = indicator({ tlp: 'green' });
        const r = await shareObjects(ctx, { objects: [o], source: 'rest', distribution: community });
        assert.deepEqual(r.failures, []);
        written.push(o.id);
      }
    };
    const [bigResult] = await Promise.all([bigShare, small(bCtx), small(bCtx2)]);
    assert.deepEqual(bigResult.failures, []);
    written.push(...big.map((o) => o.id));
    await poll.finish();

    const missed = written.filter((id) => !poll.seen.has(id));
    assert.equal(missed.length, 0, `the poller missed ${missed.length} of ${written.length} objects`);
    assert.ok(poll.polls() > 3, 'the poller polled while the writers wrote');
  });

  it('concurrent shares of the same version store it once; the others are DUPLICATE_VERSION, never an error', async () => {
    // The same three versions in different orders: without one writer at a time, PostgreSQL
    // transactions inserting them deadlock on the unique index (40P01) and answered 500.
    const objects = [1, 2, 3].map(() => indicator({ tlp: 'green', modified: '2026-05-01T00:00:00.000Z' }));
    const orders = [objects, [...objects].reverse(), [objects[1], objects[2], objects[0]]];
    const aCtx = { ...(await memberContext(s, A.token)), db: node2.kysely };
    const [rest, other] = await Promise.all([
      Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          A.api.post('/api/v1/intel', { objects: orders[i % 3], distribution: community }),
        ),
      ),
      Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          shareObjects(aCtx, {
            objects: orders[i % 3] as unknown[],
            source: 'rest',
            distribution: community,
          }),
        ),
      ),
    ]);
    for (const r of rest) assert.equal(r.status, 200, JSON.stringify(r.body));
    const results = [...rest.map((r) => r.body), ...other];
    const stored = results.flatMap((r) => r.successes.map((x: { id: string }) => x.id)).sort();
    assert.deepEqual(stored, objects.map((o) => o.id).sort(), 'each version is stored exactly once');
    const codes = results.flatMap((r) => r.failures.map((f: { code: string }) => f.code));
    assert.deepEqual(codes, Array(72 * 3 - 3).fill('DUPLICATE_VERSION'));
  });

  it('an object relayed into a group is added to its collection then: a poller of the group already past its date sees it', async () => {
    // C shares X with the community; later A shares Y to the group A and B directly.
    const x = indicator({ tlp: 'green' });
    const y = indicator({ tlp: 'green' });
    assert.equal((await C.api.post('/api/v1/intel', { objects: [x], distribution: community })).status, 200);
    const toGroup = { kind: 'group', groupId: groupAB } as const;
    assert.equal((await A.api.post('/api/v1/intel', { objects: [y], distribution: toGroup })).status, 200);
    const reader = TaxiiClient.basic(s, A.email, A.token);
    const group = await reader.collectionTitled('A and B');
    const poll = poller(reader, group);
    while (!poll.seen.has(y.id as string)) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(poll.seen.has(x.id as string), false, 'X is not in the group before the relay');
    // B, a recipient, relays X into the group: the poller, past Y and so past X's own date, finds it.
    assert.equal((await B.api.post(`/api/v1/intel/${x.id}/relay`, { distribution: toGroup })).status, 204);
    await poll.finish();
    assert.ok(poll.seen.has(x.id as string), 'the relayed object reached the poller of the group');
    // In the group X is dated by the relay, after Y; elsewhere it keeps its own date.
    const dateIn = async (collection: string, id: string) => {
      const r = await reader.get(`${ROOT}/collections/${collection}/manifest/?match[id]=${id}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body.objects[0].date_added as string;
    };
    const communityId = await reader.collectionTitled('Community');
    const [xGroup, yGroup, xCommunity] = [
      await dateIn(group, x.id as string),
      await dateIn(group, y.id as string),
      await dateIn(communityId, x.id as string),
    ];
    assert.ok(xGroup > yGroup, `${xGroup} after ${yGroup}`);
    assert.ok(xCommunity < yGroup, `${xCommunity} before ${yGroup}`);
    // A share after the relay is dated after it, in every collection.
    const z = indicator({ tlp: 'green' });
    assert.equal((await A.api.post('/api/v1/intel', { objects: [z], distribution: toGroup })).status, 200);
    assert.ok((await dateIn(group, z.id as string)) > xGroup);
  });
});
