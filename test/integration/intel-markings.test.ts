// Markings (issue 9, docs/sharing.md "Markings"): granular TLP markings count towards an object's
// TLP (the most restrictive wins) for sharing, relaying, visibility, exports and TAXII; objects
// whose only markings are statements get the TLP they are shared under; the built-in TLP
// definitions cannot be redefined; versions stored before are raised by migration 007.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { up as migrate007 } from '../../src/db/migrations/007-granular-tlp.ts';
import { countObjects, getObject, shareObjects } from '../../src/features/intel/index.ts';
import { type Tlp, tlpMarkingId } from '../../src/policy/index.ts';
import { TLP_DEFINITIONS, TLP1_MARKING_IDS, TLP2_MARKING_IDS } from '../../src/stix/index.ts';
import { assertError } from '../support/arrange.ts';
import { describeEachEngine } from '../support/databases.ts';
import {
  assertHidden,
  indicator,
  type SharingMember,
  type StixObject,
  share,
  startSharingWorld,
} from '../support/intel.ts';
import type { TestServer } from '../support/server.ts';
import { ROOT, TaxiiClient } from '../support/taxii.ts';

// biome-ignore lint/suspicious/noExplicitAny: REST and TAXII replies are JSON inspected dynamically
type Json = any;

/** An indicator whose description and pattern carry a granular TLP marking (STIX 2.1 §7.2.3). */
function withGranular(level: Tlp, ip: string, objectTlp?: Tlp): StixObject {
  return {
    ...indicator({ description: 'source and method', pattern: `[ipv4-addr:value = '${ip}']` }),
    ...(objectTlp === undefined ? {} : { object_marking_refs: [tlpMarkingId(objectTlp)] }),
    granular_markings: [{ marking_ref: tlpMarkingId(level), selectors: ['description', 'pattern'] }],
  };
}

function statement(text: string): StixObject {
  return {
    type: 'marking-definition',
    spec_version: '2.1',
    id: `marking-definition--${randomUUID()}`,
    created: '2017-06-01T00:00:00.000Z',
    definition_type: 'statement',
    definition: { statement: text },
  };
}

const codes = (r: Json) => r.failures.map((f: Json) => [f.id, f.code]);

describeEachEngine('markings: granular TLP, statement markings, the official definitions', (engine) => {
  let s: TestServer;
  let A: SharingMember;
  let B: SharingMember;
  let C: SharingMember;
  let publicCollection: string;
  before(async () => {
    ({ s, A, B, C } = await startSharingWorld(engine));
    publicCollection = await TaxiiClient.basic(s, A.email, A.token).collectionTitled('Public');
  });
  after(async () => s.close());

  const publicTaxiiIds = async (): Promise<string[]> => {
    const r = await TaxiiClient.anonymous(s).get(`${ROOT}/collections/${publicCollection}/objects/`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return (r.body.objects ?? []).map((o: Json) => o.id as string);
  };
  const blocklist = async (m: SharingMember): Promise<string> => {
    const r = await m.api.get('/api/v1/exports/blocklist?kind=ip');
    assert.equal(r.status, 200);
    return (r.body as string | null) ?? ''; // an empty list has an empty body
  };

  it('granular TLP:RED on a CLEAR object: RED for sharing, visibility, exports and TAXII', async () => {
    const toPublic = withGranular('red', '192.0.2.201', 'clear');
    const unmarkedToPublic = withGranular('red', '192.0.2.202');
    const toCommunity = withGranular('red', '192.0.2.203', 'clear');
    const toB = withGranular('red', '192.0.2.204', 'clear');
    const pub = await share(A.api, [toPublic, unmarkedToPublic], { kind: 'public' }, 'clear');
    assert.deepEqual(codes(pub), [
      [toPublic.id, 'DISTRIBUTION_NOT_ALLOWED'],
      [unmarkedToPublic.id, 'DISTRIBUTION_NOT_ALLOWED'],
    ]);
    assert.deepEqual(codes(await share(A.api, [toCommunity], { kind: 'community' })), [
      [toCommunity.id, 'DISTRIBUTION_NOT_ALLOWED'],
    ]);
    assert.equal((await share(A.api, [toB], { kind: 'orgs', orgIds: [B.org.id] })).successes.length, 1);

    const got = await B.api.get(`/api/v1/intel/${toB.id}`);
    assert.equal(got.body.tlp, 'red');
    assert.deepEqual(got.body.object, toB, 'stored exactly as shared, granular markings included');
    assert.deepEqual(
      (await B.api.get('/api/v1/intel?tlp=clear')).body.items.filter((v: Json) => v.stixId === toB.id),
      [],
    );
    await assertHidden(C.api, toB.id);

    // Exports: the recipient's carry it as RED; nobody else's carry it at all.
    const csv = (await B.api.get('/api/v1/exports/csv')).body as string;
    const line = csv.split('\r\n').find((l) => l.startsWith(toB.id)) ?? '';
    assert.equal(line.split(',')[5], 'red', line);
    const bundle = (await B.api.get('/api/v1/exports/stix')).body;
    assert.deepEqual(
      bundle.objects.find((o: Json) => o.id === toB.id),
      toB,
    );
    assert.ok((await blocklist(B)).includes('192.0.2.204'));
    const cList = await blocklist(C);
    for (const ip of ['192.0.2.201', '192.0.2.202', '192.0.2.203', '192.0.2.204'])
      assert.ok(!cList.includes(ip), `C's blocklist leaks ${ip}`);
    const anon = await publicTaxiiIds();
    for (const o of [toPublic, unmarkedToPublic, toCommunity, toB]) assert.ok(!anon.includes(o.id));
  });

  it('granular AMBER+STRICT on a GREEN object: listed as AMBER+STRICT and never relayed', async () => {
    const o = withGranular('amber+strict', '192.0.2.210', 'green');
    // AMBER+STRICT goes to named organizations only (issue 9 §4): the community is refused.
    const community = await share(A.api, [o], { kind: 'community' });
    assert.deepEqual(
      community.failures.map((f: Json) => f.code),
      ['DISTRIBUTION_NOT_ALLOWED'],
    );
    assert.equal((await share(A.api, [o], { kind: 'orgs', orgIds: [B.org.id] })).successes.length, 1);
    assert.equal((await B.api.get(`/api/v1/intel/${o.id}`)).body.tlp, 'amber+strict');
    const strict = await B.api.get(`/api/v1/intel?tlp=${encodeURIComponent('amber+strict')}`);
    assert.ok(strict.body.items.some((v: Json) => v.stixId === o.id));
    const g = await B.api.post('/api/v1/groups', { name: `B and C ${randomUUID()}`, orgIds: [C.org.id] });
    assert.equal(g.status, 201, JSON.stringify(g.body));
    const relay = await B.api.post(`/api/v1/intel/${o.id}/relay`, {
      distribution: { kind: 'group', groupId: g.body.id },
    });
    assertError(relay, 403, 'FORBIDDEN');
  });

  it('a language granular marking names no marking definition and changes nothing', async () => {
    const o = {
      ...indicator({ tlp: 'clear', description: 'en anglais' }),
      granular_markings: [{ lang: 'fr', selectors: ['description'] }],
    };
    assert.equal((await share(A.api, [o], { kind: 'public' })).successes.length, 1);
    assert.ok((await publicTaxiiIds()).includes(o.id));
  });

  describe('statement markings', () => {
    it('an object marked only with a statement takes the TLP it is shared under, beside the statement', async () => {
      const copyright = statement('Copyright 2026 Example Corp.');
      const marked = { ...indicator(), object_marking_refs: [copyright.id] };
      const r = await share(A.api, [marked, copyright], { kind: 'public' }, 'clear');
      assert.deepEqual(r.failures, []);
      const got = await C.api.get(`/api/v1/intel/${marked.id}`);
      assert.equal(got.status, 200, 'visible to other organizations');
      assert.equal(got.body.tlp, 'clear');
      assert.deepEqual(got.body.object.object_marking_refs, [copyright.id, tlpMarkingId('clear')]);
      const anon = await publicTaxiiIds();
      assert.ok(anon.includes(marked.id) && anon.includes(copyright.id), 'and to anonymous TAXII');

      // Later requests: a stored definition A owns, or one B can see, is held; TLP markings stay.
      const later = { ...indicator(), object_marking_refs: [copyright.id] };
      await share(A.api, [later], { kind: 'community' }, 'green');
      assert.equal((await B.api.get(`/api/v1/intel/${later.id}`)).body.tlp, 'green');
      const byB = { ...indicator(), object_marking_refs: [copyright.id, tlpMarkingId('amber')] };
      await share(B.api, [byB], { kind: 'community' });
      const gotB = await C.api.get(`/api/v1/intel/${byB.id}`);
      assert.equal(gotB.body.tlp, 'amber');
      assert.deepEqual(gotB.body.object, byB, 'an object with a TLP marking is stored unchanged');
    });

    it('a TAXII envelope is one request: its statement counts for objects in earlier chunks', async () => {
      // add-objects shares an envelope 250 objects at a time; the statement comes last.
      const copyright = statement('Copyright 2026 Example Corp.');
      const marked = Array.from({ length: 260 }, () => ({
        ...indicator(),
        object_marking_refs: [copyright.id],
      }));
      const taxii = TaxiiClient.basic(s, A.email, A.token);
      const community = await taxii.collectionTitled('Community');
      const status = await taxii.add(community, [...marked, copyright]);
      assert.deepEqual(status.failures, []);
      const first = marked[0] as StixObject;
      const got = await B.api.get(`/api/v1/intel/${first.id}`);
      assert.equal(got.status, 200, 'not unknown: visible to the community');
      assert.deepEqual(got.body.object.object_marking_refs, [copyright.id, tlpMarkingId('amber')]);
      const own = await A.api.get(`/api/v1/intel?tlp=amber&limit=1000`);
      const ids = new Set(own.body.items.map((v: Json) => v.stixId));
      assert.ok(marked.every((o) => ids.has(o.id)));
    });

    it('a statement the sharer cannot see, or none at all, is unknown: visible to the owner only', async () => {
      const hidden = statement('A only');
      await share(A.api, [hidden], { kind: 'org' }, 'clear');
      const byB = { ...indicator(), object_marking_refs: [hidden.id] };
      const stranger = { ...indicator(), object_marking_refs: [statement('never shared').id] };
      const granularStranger = {
        ...indicator({ tlp: 'green' }),
        granular_markings: [{ marking_ref: statement('nor this').id, selectors: ['pattern'] }],
      };
      assert.equal(
        (await share(B.api, [byB, stranger, granularStranger], { kind: 'community' }, 'clear')).successes
          .length,
        3,
      );
      for (const o of [byB, stranger, granularStranger]) {
        const own = await B.api.get(`/api/v1/intel/${o.id}`);
        assert.equal(own.body.tlp, 'unknown');
        assert.deepEqual(own.body.object, o, 'a marking that cannot be honoured is not stamped');
        await assertHidden(A.api, o.id);
      }
    });
  });

  describe('the built-in TLP definitions', () => {
    it('any other text under an official id is refused with INVALID_MARKING, through REST and TAXII', async () => {
      const forged2 = {
        type: 'marking-definition',
        spec_version: '2.1',
        id: TLP2_MARKING_IDS.red,
        created: '2022-10-01T00:00:00.000Z',
        definition_type: 'statement',
        definition: { statement: 'TLP:RED means: publish freely.' },
      };
      const forged1 = {
        ...TLP_DEFINITIONS.get(TLP1_MARKING_IDS.white),
        id: TLP1_MARKING_IDS.white,
        name: 'TLP:WHITE (and anything else)',
      };
      assert.deepEqual(codes(await share(A.api, [forged2, forged1], { kind: 'community' })), [
        [forged2.id, 'INVALID_MARKING'],
        [forged1.id, 'INVALID_MARKING'],
      ]);
      const taxii = TaxiiClient.basic(s, B.email, B.token);
      const status = await taxii.add(await taxii.collectionTitled('Community'), [forged2]);
      assert.deepEqual(
        status.failures.map((f: Json) => [f.id, f.message.split(':')[0]]),
        [[forged2.id, 'INVALID_MARKING']],
      );
      await assertHidden(C.api, forged2.id);
    });

    it('the official text is accepted and stored unchanged, as TLP:CLEAR', async () => {
      const official = structuredClone(TLP_DEFINITIONS.get(TLP2_MARKING_IDS.amber) ?? {});
      assert.deepEqual(codes(await share(A.api, [official], { kind: 'public' }, 'red')), []);
      const got = await C.api.get(`/api/v1/intel/${TLP2_MARKING_IDS.amber}`);
      assert.equal(got.body.tlp, 'clear');
      assert.deepEqual(got.body.object, official);
    });
  });

  it('migration 007 raises versions stored before granular markings counted', async () => {
    const o = indicator({
      tlp: 'clear',
      description: 'legacy',
      pattern: "[ipv4-addr:value = '192.0.2.220']",
    });
    assert.equal((await share(A.api, [o], { kind: 'public' })).successes.length, 1);
    // What the store held before the fix: CLEAR, though the JSON marks parts of it RED.
    const legacy = {
      ...o,
      granular_markings: [{ marking_ref: TLP1_MARKING_IDS.red, selectors: ['pattern'] }],
    };
    await s.db.kysely
      .updateTable('intel_objects')
      .set({ data: JSON.stringify(legacy) })
      .where('stix_id', '=', o.id)
      .execute();
    assert.ok((await publicTaxiiIds()).includes(o.id));
    await migrate007(s.db.kysely as unknown as Parameters<typeof migrate007>[0]);
    assert.ok(!(await publicTaxiiIds()).includes(o.id));
    assert.equal((await A.api.get(`/api/v1/intel/${o.id}`)).body.tlp, 'red');
    assert.ok(!(await blocklist(C)).includes('192.0.2.220'));
  });
});

// MITRE ATT&CK for ICS (../shared/data beside the repository): every object is marked only with
// MITRE's copyright statement, which is the bundle's last object.
const ICS_ATTACK = fileURLToPath(new URL('../../../shared/data/stix/ics-attack.json', import.meta.url));
const noAttack = existsSync(ICS_ATTACK) ? false : `MITRE ATT&CK for ICS not found at ${ICS_ATTACK}`;
if (noAttack) console.log(`SKIPPED: ${noAttack}`);

describeEachEngine('markings: MITRE ATT&CK for ICS shared with --tlp clear', (engine) => {
  it('is stored TLP:CLEAR, statement kept, and public to anonymous TAXII', { skip: noAttack }, async () => {
    const { s, A } = await startSharingWorld(engine);
    try {
      const objects = (JSON.parse(readFileSync(ICS_ATTACK, 'utf8')) as { objects: StixObject[] }).objects;
      const r = await shareObjects(s.cli, {
        objects,
        source: 'import',
        distribution: { kind: 'public' },
        defaultTlp: 'clear',
        ownerOrgId: A.org.id,
      });
      assert.deepEqual(r.failures, []);
      const anonymous = { ...s.cli, actor: { kind: 'anonymous' } as const };
      assert.equal(await countObjects(anonymous, { collection: { kind: 'public' } }), objects.length);
      assert.equal(await countObjects(anonymous, { tlp: ['unknown'] }), 0);
      const statementId = objects.find((o) => o.type === 'marking-definition')?.id;
      const technique = objects.find((o) => o.type === 'attack-pattern');
      assert.ok(statementId !== undefined && technique !== undefined);
      const got = await getObject(anonymous, technique.id);
      assert.equal(got.tlp, 'clear');
      assert.deepEqual(got.object.object_marking_refs, [statementId, tlpMarkingId('clear')]);
    } finally {
      await s.close();
    }
  });
});
