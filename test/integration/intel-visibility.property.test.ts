// Property: no read path returns anything the actor may not see, and every path returns all of it
// (issue 4 "Tests that must exist"; docs/sharing.md "The one visibility rule").
//
// fast-check builds random worlds — organizations (vetted, or turned pending after sharing),
// sharing groups with random memberships (changed after sharing: organizations join and leave, so
// group shares must keep the audience they had unless opened to future members), objects with
// random versions, TLP (including a non-TLP marking), distribution, recipients and deletions —
// through the services (fast), then queries
// through HTTP as a member of every organization (and anonymously) and compares each answer with
// the in-memory reference `evaluateCondition(visibilityRule(actor), facts)` over every object this
// server holds (earlier runs included, so nothing another run stored may leak either):
//   REST list (every page through `next`; pages never longer than `limit`), get (200 vs 404),
//   versions, search (`q`), exports (STIX bundle, CSV), `countObjects` (last and all versions),
//   TAXII objects (last, all, and first,last versions) and manifest of every collection the actor has (walked
//   through `next`), TAXII object and versions by id, and anonymous TAXII on the Public collection.
// Relays are not generated here (they never change visibility; intel-rest.test.ts covers them).
// Runs: TABELLA_PROPERTY_RUNS (default 20; the store grows across runs, so later runs cost more).
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import fc from 'fast-check';
import type { ServiceContext } from '../../src/features/context.ts';
import {
  countObjects,
  createGroup,
  deleteObject,
  shareObjects,
  updateGroup,
} from '../../src/features/intel/index.ts';
import { collectionId } from '../../src/features/taxii/collections.ts';
import {
  type Actor,
  type Distribution,
  type DistributionKind,
  type EffectiveTlp,
  evaluateCondition,
  TLPS,
  visibilityRule,
} from '../../src/policy/index.ts';
import { makeOrg, memberWithToken, startWithOperator } from '../support/arrange.ts';
import { describeEachEngine } from '../support/databases.ts';
import { allPages, indicator, memberContext } from '../support/intel.ts';
import type { Client } from '../support/json-client.ts';
import type { TestServer } from '../support/server.ts';
import { ROOT, TaxiiClient } from '../support/taxii.ts';

// biome-ignore lint/suspicious/noExplicitAny: replies are JSON inspected dynamically
type Json = any;
type Level = EffectiveTlp;
const LEVELS: readonly Level[] = [...TLPS, 'unknown'];
const KINDS: readonly DistributionKind[] = ['org', 'orgs', 'group', 'community', 'public'];

/** What the test knows about one stored version: the reference the server is compared with. */
interface Row {
  readonly stixId: string;
  readonly modified: string;
  readonly ownerOrgId: string;
  readonly tlp: Level;
  readonly distribution: DistributionKind;
  readonly recipients: readonly string[];
  readonly groupId: string | null;
  /** A group share: the group's members when it was shared, and whether later members may read. */
  readonly audience: readonly string[];
  readonly open: boolean;
  readonly name: string;
  deleted: boolean;
}

const worldArb = fc.record({
  // true: the organization ends up vetted; false: it is turned pending after sharing.
  orgs: fc.array(fc.boolean(), { minLength: 2, maxLength: 4 }),
  groups: fc.array(
    fc.record({
      owner: fc.nat(),
      members: fc.array(fc.nat(), { maxLength: 3 }),
      // Membership after the shares.
      later: fc.option(fc.array(fc.nat(), { maxLength: 3 }), { nil: undefined }),
    }),
    { maxLength: 2 },
  ),
  objects: fc.array(
    fc.record({
      owner: fc.nat(),
      versions: fc.uniqueArray(
        fc.record({
          day: fc.integer({ min: 1, max: 28 }),
          tlp: fc.constantFrom(...LEVELS),
          kind: fc.constantFrom(...KINDS),
          recipients: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
          group: fc.nat(),
          open: fc.boolean(),
          word: fc.integer({ min: 0, max: 2 }),
        }),
        { selector: (v) => v.day, minLength: 1, maxLength: 3 },
      ),
      deletion: fc.constantFrom('none', 'none', 'none', 'all', 'one'),
      which: fc.nat(),
    }),
    { minLength: 1, maxLength: 7 },
  ),
});

const key = (id: string, version: string) => `${id}@${version}`;

describeEachEngine('intel visibility property: every read path returns exactly the visible set', (engine) => {
  let s: TestServer;
  const rows: Row[] = [];
  const groupOrgs = new Map<string, readonly string[]>();
  let runs = 0;
  before(async () => {
    s = await startWithOperator(engine);
  });
  after(async () => s.close());

  const facts = (r: Row) => ({
    deleted: r.deleted,
    ownerOrgId: r.ownerOrgId,
    tlp: r.tlp,
    distribution: r.distribution,
    recipientOrgIds: r.distribution === 'group' ? r.audience : r.recipients,
    groupOrgIds: r.groupId === null ? [] : (groupOrgs.get(r.groupId) ?? []),
    groupOpen: r.open,
  });
  const visibleTo = (actor: Actor) => rows.filter((r) => evaluateCondition(visibilityRule(actor), facts(r)));
  /** The latest visible version of each object. */
  const latestOf = (vs: readonly Row[]) => {
    const m = new Map<string, Row>();
    for (const r of vs) {
      const cur = m.get(r.stixId);
      if (cur === undefined || r.modified > cur.modified) m.set(r.stixId, r);
    }
    return [...m.values()];
  };
  /** The first visible version of each object. */
  const earliestOf = (vs: readonly Row[]) => {
    const m = new Map<string, Row>();
    for (const r of vs) {
      const cur = m.get(r.stixId);
      if (cur === undefined || r.modified < cur.modified) m.set(r.stixId, r);
    }
    return [...m.values()];
  };
  const keys = (vs: readonly { stixId: string; modified: string }[]) =>
    vs.map((v) => key(v.stixId, v.modified)).sort();

  async function checkActor(
    api: Client,
    ctx: ServiceContext,
    taxii: TaxiiClient,
    runIds: readonly string[],
    token: string,
    words: readonly string[],
  ): Promise<void> {
    const actor = ctx.actor;
    const visible = visibleTo(actor);
    const latest = latestOf(visible);
    const who = JSON.stringify({ actor, run: runs });

    // REST list: every page, newest first, nothing more, nothing less.
    const limit = 1 + (runs % 9);
    const listed = await allPages(api, '/api/v1/intel', limit);
    assert.deepEqual(
      keys(listed.map((v) => ({ stixId: v.stixId, modified: v.modified }))),
      keys(latest),
      `REST list ${who}`,
    );
    const dates = listed.map((v) => v.dateAdded as string);
    assert.deepEqual([...dates].sort().reverse(), dates, 'newest first');
    // Counts.
    assert.equal(await countObjects(ctx, {}), latest.length, `countObjects ${who}`);
    assert.equal(await countObjects(ctx, { versions: 'all' }), visible.length, `countObjects all ${who}`);

    // get and versions of this run's objects (and one of an earlier run's).
    for (const id of runIds) {
      const mine = visible
        .filter((r) => r.stixId === id)
        .sort((a, b) => a.modified.localeCompare(b.modified));
      const g = await api.get(`/api/v1/intel/${id}`);
      const v = await api.get(`/api/v1/intel/${id}/versions`);
      if (mine.length === 0) {
        for (const r of [g, v]) {
          assert.equal(r.status, 404, `${id} must be hidden ${who}`);
          assert.equal(r.body.code, 'NOT_FOUND');
          assert.equal(r.body.message, 'object not found');
        }
      } else {
        assert.equal(g.status, 200, `${id} must be visible ${who}`);
        assert.equal(g.body.modified, mine.at(-1)?.modified, `latest visible version of ${id} ${who}`);
        assert.equal(v.status, 200);
        assert.deepEqual(
          v.body.items.map((x: Json) => x.modified),
          mine.map((r) => r.modified),
          `versions of ${id} ${who}`,
        );
      }
    }

    // Search: the latest visible version of each object, when it matches.
    for (const word of words) {
      const found = await allPages(api, `/api/v1/intel?q=${word}`, 4);
      assert.deepEqual(
        keys(found.map((x) => ({ stixId: x.stixId, modified: x.modified }))),
        keys(latest.filter((r) => r.name.includes(word))),
        `search ${word} ${who}`,
      );
    }

    // Exports, polled with ?token= as a device would.
    const bundle = await api.get('/api/v1/exports/stix');
    assert.equal(bundle.status, 200);
    assert.deepEqual(
      bundle.body.objects.map((o: Json) => key(o.id, o.modified)).sort(),
      keys(latest),
      `STIX export ${who}`,
    );
    const csv = await (await fetch(`${s.url}/api/v1/exports/csv?token=${encodeURIComponent(token)}`)).text();
    const csvKeys = csv
      .split('\r\n')
      .slice(1)
      .filter(Boolean)
      .map((line) => {
        const cells = line.split(',');
        return key(cells[0] ?? '', cells[8] ?? '');
      })
      .sort();
    assert.deepEqual(csvKeys, keys(latest), `CSV export ${who}`);

    // TAXII: every collection the actor has.
    await checkTaxii(taxii, actor, visible, latest, runIds, who);
  }

  async function taxiiPages(taxii: TaxiiClient, path: string, limit: number): Promise<Json[]> {
    const out: Json[] = [];
    let next: string | undefined;
    for (let i = 0; i < 10_000; i++) {
      const sep = path.includes('?') ? '&' : '?';
      const r = await taxii.get(
        `${path}${sep}limit=${limit}${next === undefined ? '' : `&next=${encodeURIComponent(next)}`}`,
      );
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const objects: Json[] = r.body.objects ?? [];
      assert.ok(objects.length <= limit);
      out.push(...objects);
      if (r.body.more !== true) {
        assert.equal(r.body.next, undefined);
        return out;
      }
      assert.equal(objects.length, limit, 'a TAXII page with more is full');
      next = r.body.next;
    }
    throw new Error('too many TAXII pages');
  }

  async function checkTaxii(
    taxii: TaxiiClient,
    actor: Actor,
    visible: readonly Row[],
    latest: readonly Row[],
    runIds: readonly string[],
    who: string,
  ): Promise<void> {
    const listed = await taxii.get(`${ROOT}/collections/`);
    assert.equal(listed.status, 200);
    const collections: Json[] = listed.body.collections ?? [];
    const orgId = actor.kind === 'member' ? actor.orgId : '';
    const refs = new Map<string, (r: Row) => boolean>([
      [collectionId({ kind: 'public' }), (r) => r.distribution === 'public'],
    ]);
    if (actor.kind === 'member') {
      refs.set(collectionId({ kind: 'community' }), (r) => r.distribution === 'community');
      refs.set(
        collectionId({ kind: 'org' }, orgId),
        (r) => r.ownerOrgId === orgId || r.recipients.includes(orgId),
      );
      for (const [g, members] of groupOrgs) {
        if (members.includes(orgId))
          refs.set(collectionId({ kind: 'group', groupId: g }), (r) => r.groupId === g);
      }
    }
    assert.deepEqual(collections.map((c) => c.id).sort(), [...refs.keys()].sort(), `collections ${who}`);
    const limit = 1 + (runs % 5);
    for (const [cid, inCollection] of refs) {
      const base = `${ROOT}/collections/${cid}`;
      const last = await taxiiPages(taxii, `${base}/objects/`, limit);
      assert.deepEqual(
        last.map((o) => key(o.id, o.modified)).sort(),
        keys(latest.filter(inCollection)),
        `TAXII objects ${cid} ${who}`,
      );
      const all = await taxiiPages(taxii, `${base}/objects/?match[version]=all`, limit + 2);
      assert.deepEqual(
        all.map((o) => key(o.id, o.modified)).sort(),
        keys(visible.filter(inCollection)),
        `TAXII objects (all versions) ${cid} ${who}`,
      );
      // Several version values select their union (§3.4.2): first and last of what the actor sees.
      const firstLast = await taxiiPages(taxii, `${base}/objects/?match[version]=first,last`, limit + 1);
      assert.deepEqual(
        firstLast.map((o) => key(o.id, o.modified)).sort(),
        [...new Set(keys([...latest, ...earliestOf(visible)].filter(inCollection)))],
        `TAXII objects (first,last) ${cid} ${who}`,
      );
      const manifest = await taxiiPages(taxii, `${base}/manifest/`, limit + 1);
      assert.deepEqual(
        manifest.map((m) => key(m.id, m.version)).sort(),
        keys(latest.filter(inCollection)),
        `TAXII manifest ${cid} ${who}`,
      );
      for (const id of runIds) {
        const mine = visible
          .filter((r) => r.stixId === id && inCollection(r))
          .sort((a, b) => a.modified.localeCompare(b.modified));
        const versions = await taxii.get(`${base}/objects/${id}/versions/`);
        if (mine.length === 0) {
          assert.equal(versions.status, 404, `TAXII versions of ${id} in ${cid} must be hidden ${who}`);
          assert.equal((await taxii.get(`${base}/objects/${id}/`)).status, 404);
        } else {
          assert.equal(versions.status, 200);
          // Compared as sets: visibility is what this property is about; order has its own test below.
          assert.deepEqual(
            [...versions.body.versions].sort(),
            mine.map((r) => r.modified),
            `TAXII versions ${id} ${cid} ${who}`,
          );
        }
      }
    }
  }

  it('TAXII versions are oldest version first even when an older version is added later (§5.8)', async () => {
    const org = await makeOrg(s);
    const m = await memberWithToken(s, org.id);
    const id = indicator().id;
    for (const day of ['20', '10']) {
      const o = indicator({ id, modified: `2026-01-${day}T00:00:00.000Z`, tlp: 'green' });
      await shareObjects(s.cli, {
        objects: [o],
        source: 'import',
        distribution: { kind: 'community' },
        ownerOrgId: org.id,
      });
      // Part of this server's store: the property below must account for it.
      rows.push({
        stixId: id,
        modified: `2026-01-${day}T00:00:00.000Z`,
        ownerOrgId: org.id,
        tlp: 'green',
        distribution: 'community',
        recipients: [],
        groupId: null,
        audience: [],
        open: false,
        name: o.name as string,
        deleted: false,
      });
    }
    const r = await TaxiiClient.basic(s, m.email, m.token).get(
      `${ROOT}/collections/${collectionId({ kind: 'community' })}/objects/${id}/versions/`,
    );
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.versions, ['2026-01-10T00:00:00.000Z', '2026-01-20T00:00:00.000Z']);
  });

  it('REST, search, counts, exports and TAXII agree with the rule for every actor', async () => {
    await fc.assert(
      fc.asyncProperty(worldArb, async (world) => {
        runs += 1;
        const run = `r${runs}${Math.random().toString(36).slice(2, 6)}`;
        const words = [0, 1, 2].map((k) => `zq${run}w${k}z`);
        const orgs: (Awaited<ReturnType<typeof memberWithToken>> & {
          org: Awaited<ReturnType<typeof makeOrg>>;
          ctx: ServiceContext;
        })[] = [];
        for (const [i] of world.orgs.entries()) {
          const org = await makeOrg(s);
          // Tiers alternate, so both sides of the tier rule (received RED, AMBER+STRICT) are checked.
          const m = await memberWithToken(s, org.id, { roles: ['analyst'], tier: i % 2 === 0 ? 2 : 1 });
          orgs.push({ org, ...m, ctx: await memberContext(s, m.token) });
        }
        const pick = <T>(xs: readonly T[], i: number): T => xs[i % xs.length] as T;
        const groups: { id: string; orgIds: readonly string[] }[] = [];
        for (const [gi, g] of world.groups.entries()) {
          const owner = pick(orgs, g.owner);
          const created = await createGroup(owner.ctx, {
            name: `group ${run} ${gi}`,
            orgIds: g.members.map((i) => pick(orgs, i).org.id),
          });
          groups.push(created);
          groupOrgs.set(created.id, created.orgIds);
        }

        const runIds: string[] = [];
        for (const o of world.objects) {
          const owner = pick(orgs, o.owner);
          const id = indicator().id;
          runIds.push(id);
          const stored: Row[] = [];
          for (const v of o.versions) {
            const modified = `2026-01-${String(v.day).padStart(2, '0')}T00:00:00.000Z`;
            const name = `obj ${pick(words, v.word)}`;
            const group = groups.length === 0 ? undefined : pick(groups, v.group);
            const kind = v.kind === 'group' && group === undefined ? 'org' : v.kind;
            const recipients = [...new Set(v.recipients.map((i) => pick(orgs, i).org.id))];
            const distribution: Distribution =
              kind === 'orgs'
                ? { kind, orgIds: recipients }
                : kind === 'group'
                  ? { kind, groupId: group?.id ?? '', futureMembers: v.open }
                  : { kind };
            const input = {
              objects: [indicator({ id, modified, name, tlp: v.tlp })],
              source: 'import' as const,
              distribution,
              ownerOrgId: owner.org.id,
            };
            if (kind === 'group' && !group?.orgIds.includes(owner.org.id)) {
              await assert.rejects(shareObjects(s.cli, input), { code: 'NOT_FOUND' });
              continue;
            }
            const result = await shareObjects(s.cli, input);
            if (result.successes.length === 1) {
              const row: Row = {
                stixId: id,
                modified,
                ownerOrgId: owner.org.id,
                tlp: v.tlp,
                distribution: kind,
                recipients: kind === 'orgs' ? recipients : [],
                groupId: kind === 'group' ? (group?.id ?? null) : null,
                audience: kind === 'group' && group !== undefined ? (groupOrgs.get(group.id) ?? []) : [],
                open: kind === 'group' && v.open,
                name,
                deleted: false,
              };
              rows.push(row);
              stored.push(row);
            } else {
              assert.deepEqual(
                result.failures.map((f) => f.code),
                ['DISTRIBUTION_NOT_ALLOWED'],
              );
              const refused =
                (kind === 'public' && v.tlp !== 'clear') ||
                ((v.tlp === 'red' || v.tlp === 'amber+strict') && kind !== 'orgs' && kind !== 'org');
              assert.ok(refused, JSON.stringify({ v, kind, result }));
            }
          }
          if (stored.length > 0 && o.deletion !== 'none') {
            if (o.deletion === 'all') {
              await deleteObject(owner.ctx, id);
              for (const r of stored) r.deleted = true;
            } else {
              const r = pick(stored, o.which);
              await deleteObject(owner.ctx, id, r.modified);
              r.deleted = true;
            }
          }
        }

        // Organizations join and leave groups after the shares.
        for (const [gi, g] of world.groups.entries()) {
          const group = groups[gi];
          if (group === undefined || g.later === undefined) continue;
          const owner = pick(orgs, g.owner);
          const updated = await updateGroup(owner.ctx, group.id, {
            orgIds: g.later.map((i) => pick(orgs, i).org.id),
          });
          groupOrgs.set(group.id, updated.orgIds);
        }

        // Some organizations stop being vetted after sharing (their members then see only their own).
        for (const [i, vetted] of world.orgs.entries()) {
          if (!vetted) {
            await s.db.kysely
              .updateTable('organizations')
              .set({ status: 'pending' })
              .where('id', '=', pick(orgs, i).org.id)
              .execute();
          }
        }
        for (const o of orgs) {
          const ctx = await memberContext(s, o.token);
          await checkActor(o.api, ctx, TaxiiClient.basic(s, o.email, o.token), runIds, o.token, words);
        }
        const anon: ServiceContext = { ...s.cli, actor: { kind: 'anonymous' } };
        const anonVisible = visibleTo(anon.actor);
        await checkTaxii(
          TaxiiClient.anonymous(s),
          anon.actor,
          anonVisible,
          latestOf(anonVisible),
          runIds,
          'anonymous',
        );
      }),
      { numRuns: Number(process.env.TABELLA_PROPERTY_RUNS ?? 20), endOnFailure: true },
    );
  });
});
