// The public log must not reveal what is not public (issue 9): an anonymous client reading every
// served tile and entry bundle finds no identifier of a member, organization, token, group or
// object — above all not the deterministic ids of shared observables (STIX 2.1 §2.9), which anyone
// can compute from a guessed value — nor any detail, only the facets docs/audit.md lists.
import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';
import { after, before, it } from 'node:test';
import { AUDIT_ACTIONS, type AuditInput, recordAudit } from '../../src/features/audit/record.ts';
import type { ServiceContext } from '../../src/features/context.ts';
import { eventDigest } from '../../src/features/transparency/entry.ts';
import { ENTRY_FACETS, type FacetValue } from '../../src/features/transparency/index.ts';
import { type Actor, type Tlp, tlpMarkingId } from '../../src/policy/index.ts';
import { scoDeterministicId } from '../../src/stix/index.ts';
import { entriesPath, parseEntryBundle, TILE_WIDTH, tilePath, tilesOfTree } from '../../src/tlog/index.ts';
import { type AuditRow, auditMark, makeOrg, memberWithToken, startWithOperator } from '../support/arrange.ts';
import { describeEachEngine } from '../support/databases.ts';
import { type StixObject, share } from '../support/intel.ts';
import { httpLogFetch, servedCheckpoint, verifyServedLog } from '../support/log.ts';
import type { TestServer } from '../support/server.ts';

type Rules = Readonly<Record<string, { readonly detail: string; readonly values: readonly FacetValue[] }>>;
const rulesOf = (action: string): Rules => (ENTRY_FACETS as Readonly<Record<string, Rules>>)[action] ?? {};

/** The deterministic id of an observable (STIX 2.1 §2.9): anyone who guesses the value has it. */
const scoId = (type: string, value: string): string => scoDeterministicId({ type, value }) as string;
const secret = (prefix: string) => `${prefix}_${randomBytes(9).toString('hex')}`;
const pick = <T>(list: readonly T[]): T => list[randomInt(list.length)] as T;

/** Everything a served log holds, as an anonymous client fetches it: every tile and entry bundle. */
async function servedBytes(base: string): Promise<{ text: string; entries: string[] }> {
  const fetchLog = httpLogFetch(`${base}/log`);
  const { size } = await servedCheckpoint(base);
  const parts: Buffer[] = [];
  for (const tile of tilesOfTree(size)) {
    const body = await fetchLog(tilePath(tile));
    assert.ok(body !== undefined, tilePath(tile));
    parts.push(Buffer.from(body));
  }
  const entries: string[] = [];
  for (let index = 0; index * TILE_WIDTH < size; index++) {
    const width = Math.min(TILE_WIDTH, size - index * TILE_WIDTH);
    const body = await fetchLog(entriesPath(index, width));
    assert.ok(body !== undefined, entriesPath(index, width));
    parts.push(Buffer.from(body));
    for (const e of parseEntryBundle(body, width)) entries.push(Buffer.from(e).toString('utf8'));
  }
  return { text: Buffer.concat(parts).toString('latin1'), entries };
}

/** Every string and number of a JSON value, the leaves a leak would show. */
function leaves(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value === 'number') return [String(value)];
  if (Array.isArray(value)) return value.flatMap(leaves);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(leaves);
  return [];
}

/**
 * Random details for an action: each facet's detail with a word of its vocabulary (or, at times, a
 * secret that must not be published), and secret strings, numbers and id lists beside them.
 */
function randomDetails(action: string): Record<string, unknown> {
  const details: Record<string, unknown> = {
    note: secret('note'),
    count: randomInt(100_000_000, 999_999_999),
    orgIds: [secret('org'), secret('org')],
  };
  for (const rule of Object.values(rulesOf(action)))
    details[rule.detail] = randomInt(5) === 0 ? secret('word') : pick(rule.values);
  return details;
}

describeEachEngine('public log privacy', (engine) => {
  let s: TestServer;
  before(async () => {
    s = await startWithOperator(engine);
  });
  after(async () => s.close());

  it('random events of every action: the served log holds none of their identifiers or details', async () => {
    const org = await makeOrg(s, { kind: 'private', role: 'security-firm' });
    const member = (via: 'session' | 'token'): Actor => ({
      kind: 'member',
      memberId: secret('mbr'),
      orgId: org.id,
      orgStatus: 'vetted',
      isOperatorOrg: false,
      orgRole: 'security-firm',
      roles: ['analyst'],
      tier: 1,
      via,
      ...(via === 'token' ? { tokenId: secret('tok') } : {}),
    });
    const recorded: { actor: Actor; input: AuditInput }[] = [];
    for (const action of AUDIT_ACTIONS)
      for (let round = 0; round < 3; round++) {
        const actor = pick<Actor>([
          member('session'),
          member('token'),
          { kind: 'cli' },
          { kind: 'anonymous' },
        ]);
        const observable = scoId('ipv4-addr', `203.0.113.${randomInt(256)}`);
        recorded.push({
          actor,
          input: {
            action,
            subjectType: pick(['organization', 'member', 'token', 'intel', 'group'] as const),
            subjectId: action.startsWith('intel.') ? observable : secret('subj'),
            subjectOrgId: secret('org'),
            details: randomDetails(action),
          },
        });
      }
    // One public share at least, where the subject id is published (the positive control).
    const publicId = scoId('url', `https://${secret('x')}.example/`);
    recorded.push({
      actor: member('token'),
      input: {
        action: 'intel.share',
        subjectType: 'intel',
        subjectId: publicId,
        subjectOrgId: org.id,
        details: { tlp: 'clear', distribution: 'public', note: secret('note') },
      },
    });
    const ids = new Set<string>();
    const since = await auditMark(s);
    await s.db.kysely.transaction().execute(async (trx) => {
      for (const { actor, input } of recorded) {
        const ctx: Pick<ServiceContext, 'clock' | 'actor'> = { clock: s.clock, actor };
        await recordAudit(trx, ctx, input);
      }
    });
    await s.app.tabellaLog.flush();
    await verifyServedLog(s.url);
    const rows: AuditRow[] = await since();
    assert.equal(rows.length, recorded.length);
    const served = await servedBytes(s.url);

    for (const row of rows) {
      const entry = JSON.parse(served.entries[row.log_index as number] as string);
      assert.equal(
        entry.digest,
        eventDigest(row.salt as string, row),
        `${row.action}: the entry is this event's`,
      );
      const details = JSON.parse(row.details) as Record<string, unknown>;
      const rules = rulesOf(row.action);
      // Facets: only the listed ones, each the event's own value, each from its vocabulary.
      for (const [facet, value] of Object.entries(entry.facets as Record<string, FacetValue>)) {
        const rule = rules[facet];
        assert.ok(rule !== undefined, `${row.action} publishes no ${facet}`);
        assert.equal(value, details[rule.detail]);
      }
      const published = new Set(Object.values(entry.facets as Record<string, FacetValue>).map(String));
      const isPublic =
        details.tlp === 'clear' && details.distribution === 'public' && row.action === 'intel.share';
      assert.equal(entry.subject.id, isPublic ? row.subject_id : undefined, row.action);
      for (const id of [
        row.id,
        row.actor_id,
        row.actor_org_id,
        row.subject_org_id,
        isPublic ? null : row.subject_id,
      ])
        if (id !== null) ids.add(id);
      for (const leaf of leaves(details)) if (!published.has(leaf)) ids.add(leaf);
    }
    assert.ok(ids.has(org.id) && ids.size > 5 * AUDIT_ACTIONS.length);
    const found = [...ids].filter((id) => served.text.includes(id));
    assert.deepEqual(found, [], 'no identifier nor detail value is served');
    assert.ok(served.text.includes(publicId), 'the id of an object shared TLP:CLEAR to the public is');
  });

  it('shared observables: an anonymous scan of every served tile finds only the public ones', async () => {
    const owner = await makeOrg(s);
    const county = await makeOrg(s);
    const A = await memberWithToken(s, owner.id);
    const B = await memberWithToken(s, county.id);
    const sco = (type: 'ipv4-addr' | 'domain-name', value: string, tlp: Tlp): StixObject => ({
      type,
      spec_version: '2.1',
      id: scoId(type, value),
      value,
      object_marking_refs: [tlpMarkingId(tlp)],
    });
    const last = randomInt(256);
    const red = sco('ipv4-addr', `198.51.100.${last}`, 'red');
    const amber = sco('domain-name', `${secret('c2')}.example`, 'amber');
    const clear = sco('domain-name', `${secret('pub')}.example`, 'clear');
    await share(A.api, [red], { kind: 'orgs', orgIds: [county.id] });
    await share(A.api, [amber], { kind: 'community' });
    await share(A.api, [clear], { kind: 'public' });
    // The county reads the RED address: an intel.read of another organization's RED object.
    assert.equal((await B.api.get(`/api/v1/intel/${red.id}`)).status, 200);
    await s.app.tabellaLog.flush();
    await verifyServedLog(s.url);

    const served = await servedBytes(s.url);
    // Guessing the RED address: every one of the 256 candidates' ids, whole or as the bare UUID.
    for (let i = 0; i < 256; i++) {
      const uuid = scoId('ipv4-addr', `198.51.100.${i}`).slice('ipv4-addr--'.length);
      assert.ok(!served.text.includes(uuid), `198.51.100.${i} cannot be confirmed`);
    }
    for (const hidden of [
      amber.id,
      amber.id.slice('domain-name--'.length),
      owner.id,
      county.id,
      A.member.id,
      B.member.id,
    ])
      assert.ok(!served.text.includes(hidden), hidden);
    assert.ok(served.text.includes(clear.id), 'the public object is named');
    const read = served.entries.map((e) => JSON.parse(e)).findLast((e) => e.action === 'intel.read');
    assert.deepEqual(
      { actor: read.actor, subject: read.subject, facets: read.facets },
      {
        actor: { type: 'token', kind: 'government', role: 'election-office' },
        subject: { type: 'intel' },
        facets: { tlp: 'red' },
      },
      'a read of a RED object shows only the reader sector and the TLP',
    );
  });
});
