import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { createGroup } from '../../src/features/intel/index.ts';
import { makeOrg, memberWithToken, startWithOperator } from '../support/arrange.ts';
import { describeEachEngine } from '../support/databases.ts';
import type { TestServer } from '../support/server.ts';
import { assertTaxiiError, indicator, memberContext, ROOT, TaxiiClient } from '../support/taxii.ts';

// A marking definition Tabella does not know: the object is invisible to all but its owner.
const UNKNOWN_MARKING = 'marking-definition--1d4e6f8a-2b3c-4d5e-8f9a-0b1c2d3e4f5a';

describeEachEngine(
  'TAXII 2.1 server: each organization sees exactly what TLP and distribution allow',
  (engine) => {
    let s: TestServer;
    before(async () => {
      s = await startWithOperator(engine);
    });
    after(async () => s.close());

    async function member(status: 'vetted' | 'pending' = 'vetted') {
      const org = await makeOrg(s, { status });
      const m = await memberWithToken(s, org.id);
      return { org, ...m, taxii: TaxiiClient.basic(s, m.email, m.token) };
    }

    const idsOf = (r: { body: { objects?: { id: string }[] } }) =>
      (r.body.objects ?? []).map((o) => o.id).sort();

    it('Community, Public, group and own-organization collections through two organizations and others', async () => {
      const a = await member();
      const b = await member();
      const c = await member();
      const pending = await member('pending');
      const group = await createGroup(await memberContext(s, a.token), {
        name: 'NC counties',
        orgIds: [b.org.id],
      });
      const cols = new Map((await a.taxii.collections()).map((x) => [x.title, x.id as string]));
      const community = cols.get('Community') ?? '';
      const publicId = cols.get('Public') ?? '';
      const groupId = cols.get('NC counties') ?? '';
      const aOwn = cols.get(a.org.name) ?? '';

      const green = indicator({ tlp: 'green' });
      const amber = indicator({ tlp: 'amber' });
      const clear = indicator({ tlp: 'clear' });
      const unknown = indicator({ markings: [UNKNOWN_MARKING] });
      const red = indicator({ tlp: 'red' });
      const shared = await a.taxii.add(community, [green, amber, clear, unknown, red]);
      // TLP:RED never goes to the whole community.
      assert.deepEqual(
        shared.failures.map((f: { id: string; message: string }) => [f.id, f.message.split(':')[0]]),
        [[red.id, 'DISTRIBUTION_NOT_ALLOWED']],
      );
      const pub = indicator({ tlp: 'clear' });
      const notPublic = indicator({ tlp: 'green' });
      const pubStatus = await a.taxii.add(publicId, [pub, notPublic]);
      assert.deepEqual(
        pubStatus.failures.map((f: { id: string }) => f.id),
        [notPublic.id],
      );
      // A group takes AMBER at most: AMBER+STRICT goes to named organizations only (issue 9 §4).
      const strict = indicator({ tlp: 'amber' });
      const refusedStrict = indicator({ tlp: 'amber+strict' });
      const groupStatus = await a.taxii.add(groupId, [strict, refusedStrict]);
      assert.deepEqual(
        groupStatus.failures.map((f: { id: string }) => f.id),
        [refusedStrict.id],
      );
      const ownRed = indicator({ tlp: 'red' });
      await a.taxii.add(aOwn, [ownRed]);
      const bOwn = indicator({ tlp: 'amber' });
      await b.taxii.add(await b.taxii.collectionTitled(b.org.name), [bOwn]);

      const objects = (col: string) => `${ROOT}/collections/${col}/objects/`;
      const sorted = (...xs: Record<string, unknown>[]) => xs.map((x) => x.id as string).sort();

      // The owner sees all it shared, unknown marking included.
      assert.deepEqual(idsOf(await a.taxii.get(objects(community))), sorted(green, amber, clear, unknown));
      // The own organization's collection holds everything it shared, whatever the distribution.
      assert.deepEqual(
        idsOf(await a.taxii.get(objects(aOwn))),
        sorted(green, amber, clear, unknown, pub, strict, ownRed),
      );
      // Another vetted organization: no unknown marking; the group's objects only in the group.
      assert.deepEqual(idsOf(await b.taxii.get(objects(community))), sorted(green, amber, clear));
      assert.deepEqual(idsOf(await b.taxii.get(objects(groupId))), sorted(strict));
      assert.deepEqual(idsOf(await b.taxii.get(objects(publicId))), sorted(pub));
      const bOwnId = await b.taxii.collectionTitled(b.org.name);
      assert.deepEqual(idsOf(await b.taxii.get(objects(bOwnId))), sorted(bOwn));
      // Outside the group: no such collection.
      assert.deepEqual(idsOf(await c.taxii.get(objects(community))), sorted(green, amber, clear));
      assertTaxiiError(await c.taxii.get(objects(groupId)), 404, 'NOT_FOUND');
      // A pending organization sees none of the community's intelligence yet; anonymous sees Public only.
      assert.deepEqual(idsOf(await pending.taxii.get(objects(community))), []);
      assert.deepEqual(idsOf(await TaxiiClient.anonymous(s).get(objects(publicId))), sorted(pub));
      assert.deepEqual(
        idsOf(await TaxiiClient.anonymous(s).get(`${ROOT}/collections/${publicId}/manifest/`)),
        sorted(pub),
      );
      // Invisible is 404 — object, versions — exactly like missing, in every collection.
      for (const col of [community, publicId, groupId, bOwnId]) {
        for (const hidden of [unknown, ownRed]) {
          assertTaxiiError(await b.taxii.get(`${objects(col)}${hidden.id}/`), 404, 'NOT_FOUND');
          assertTaxiiError(await b.taxii.get(`${objects(col)}${hidden.id}/versions/`), 404, 'NOT_FOUND');
          assertTaxiiError(await b.taxii.delete(`${objects(col)}${hidden.id}/`), 404, 'NOT_FOUND');
        }
      }
      // Visible in one collection is not visible through another.
      assertTaxiiError(await b.taxii.get(`${objects(community)}${strict.id}/`), 404, 'NOT_FOUND');
      assert.equal((await b.taxii.get(`${objects(groupId)}${strict.id}/`)).status, 200);
      assert.ok(group.id);
    });

    it('pages never reveal hidden versions: counts, more, next and date headers cover visible rows only', async () => {
      const a = await member();
      const b = await member();
      const community = await a.taxii.collectionTitled('Community');
      const path = `${ROOT}/collections/${community}/objects/`;
      // Hidden (unknown marking) objects interleaved with visible ones, and a hidden newest version
      // of a visible object: B must see the visible version, not the hidden one, nor know of it.
      const [v0, v1, v2] = [
        indicator({ tlp: 'green' }),
        indicator({ tlp: 'green' }),
        indicator({ tlp: 'green' }),
      ];
      const shared = indicator({ tlp: 'green', modified: '2026-01-01T00:00:00.000Z' });
      const hiddenVersion = {
        ...shared,
        modified: '2026-06-01T00:00:00.000Z',
        object_marking_refs: [UNKNOWN_MARKING],
      };
      for (const o of [
        indicator({ markings: [UNKNOWN_MARKING] }),
        v0,
        indicator({ markings: [UNKNOWN_MARKING] }),
      ]) {
        await a.taxii.add(community, [o]);
      }
      await a.taxii.add(community, [v1, shared]);
      await a.taxii.add(community, [indicator({ markings: [UNKNOWN_MARKING] }), v2, hiddenVersion]);
      const expected = [v0, v1, shared, v2].map((o) => o.id);
      // The Community collection also holds earlier tests' objects: follow this test's own.
      const mine = new Set(expected);
      const seen: string[] = [];
      let next: string | undefined;
      do {
        const r = await b.taxii.get(
          `${path}?limit=1${next === undefined ? '' : `&next=${encodeURIComponent(next)}`}`,
        );
        assert.equal(r.status, 200);
        const objs = r.body.objects ?? [];
        assert.ok(objs.length <= 1);
        for (const o of objs) {
          assert.notDeepEqual(o.object_marking_refs, [UNKNOWN_MARKING]);
          if (o.id === shared.id) assert.equal(o.modified, shared.modified);
        }
        const manifest = await b.taxii.get(
          `${ROOT}/collections/${community}/manifest/?limit=1${next === undefined ? '' : `&next=${encodeURIComponent(next)}`}`,
        );
        assert.deepEqual(
          (manifest.body.objects ?? []).map((m: { id: string }) => m.id),
          objs.map((o: { id: string }) => o.id),
        );
        if (objs.length > 0) {
          assert.equal(r.headers.get('x-taxii-date-added-first'), manifest.body.objects[0].date_added);
          assert.equal(r.headers.get('x-taxii-date-added-last'), manifest.body.objects[0].date_added);
        }
        seen.push(...objs.map((o: { id: string }) => o.id).filter((id: string) => mine.has(id)));
        next = r.body.next;
        assert.equal(r.body.more, next !== undefined);
      } while (next !== undefined);
      assert.deepEqual(seen, expected);
      // The versions B sees of the shared object: only the visible one.
      const versions = await b.taxii.get(`${path}${shared.id}/versions/`);
      assert.deepEqual(versions.body.versions, [shared.modified]);
      const all = await b.taxii.get(`${path}${shared.id}/?match[version]=all`);
      assert.deepEqual(
        all.body.objects.map((o: { modified: string }) => o.modified),
        [shared.modified],
      );
      const latest = await b.taxii.get(`${path}?match[id]=${shared.id}&match[version]=last`);
      assert.deepEqual(
        latest.body.objects.map((o: { modified: string }) => o.modified),
        [shared.modified],
      );
      // Its owner sees both versions.
      const own = await a.taxii.get(`${path}${shared.id}/versions/`);
      assert.deepEqual(own.body.versions, [shared.modified, hiddenVersion.modified]);
    });
  },
);
