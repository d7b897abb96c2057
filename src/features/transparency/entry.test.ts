import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { canonicalJson } from '../../core/canonical-json.ts';
import { ORG_KINDS, ORG_ROLES } from '../../policy/index.ts';
import { AUDIT_ACTIONS } from '../audit/record.ts';
import {
  canonicalCommitment,
  canonicalEntry,
  type EventRow,
  entryBytes,
  eventCommitment,
  eventDigest,
  newSalts,
  type PublicEntry,
} from './entry.ts';
import { canonicalEntryV1 } from './entry-v1.ts';

/** Strings of any code units (lone surrogates too) as well as printable ASCII ones. */
const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) }),
);
const nullable = fc.option(text, { nil: null });
const maybeWord = (words: readonly string[]) =>
  fc.option(fc.oneof(fc.constantFrom(...words), text), { nil: null });

/** Any event, with canonical details (as `record.ts` stores them) that may carry any facet value. */
const anyEvent: fc.Arbitrary<EventRow> = fc.record({
  id: text,
  at: text,
  actor_type: text,
  actor_id: nullable,
  actor_org_id: nullable,
  actor_org_kind: maybeWord(ORG_KINDS),
  actor_org_role: maybeWord(ORG_ROLES),
  action: fc.oneof(fc.constantFrom(...AUDIT_ACTIONS), text),
  subject_type: text,
  subject_id: nullable,
  subject_org_id: nullable,
  details: fc
    .dictionary(
      fc.oneof(fc.constantFrom('tlp', 'distribution', 'to', 'status', 'collection'), fc.string()),
      fc.oneof(fc.constantFrom('clear', 'red', 'public', 'orgs', 'vetted', 'group'), fc.jsonValue()),
    )
    .map((d) => canonicalJson(JSON.parse(JSON.stringify(d)))),
});

const [SALT] = newSalts(1) as [string];

const share: EventRow = {
  id: 'evt_0192f1a0-0000-7000-8000-000000000001',
  at: '2026-11-03T12:00:00.000Z',
  actor_type: 'token',
  actor_id: 'mbr_4f9a',
  actor_org_id: 'org_77c1',
  actor_org_kind: 'government',
  actor_org_role: 'election-office',
  action: 'intel.share',
  subject_type: 'intel',
  subject_id: 'ipv4-addr--a2e5b8c4-1b5e-5b6e-9d8f-0c1a2b3c4d5e',
  subject_org_id: 'org_77c1',
  details: canonicalJson({
    distribution: 'orgs',
    source: 'rest',
    tlp: 'red',
    tokenId: 'tok_9',
    type: 'ipv4-addr',
  }),
};

const entryOf = (event: EventRow): PublicEntry => JSON.parse(entryBytes(event, SALT).toString('utf8'));

describe('log entries (version 2)', () => {
  it('writes exactly the RFC 8785 canonical JSON of the public entry, for any event', () => {
    fc.assert(
      fc.property(anyEvent, (event) => {
        assert.equal(entryBytes(event, SALT).toString('utf8'), canonicalEntry(event, SALT));
      }),
      { numRuns: 500 },
    );
  });

  it('commits to the canonical JSON of the whole event, for any event', () => {
    fc.assert(
      fc.property(anyEvent, (event) => assert.equal(eventCommitment(event), canonicalCommitment(event))),
      { numRuns: 500 },
    );
  });

  it('holds no identifier nor detail value of a non-public event, only its sector and facets', () => {
    const text = entryBytes(share, SALT).toString('utf8');
    for (const secret of ['evt_0192f1a0', 'mbr_4f9a', 'org_77c1', 'a2e5b8c4', 'tok_9', 'rest', 'ipv4-addr'])
      assert.ok(!text.includes(secret), `${secret} is not in ${text}`);
    assert.deepEqual(JSON.parse(text), {
      v: 2,
      at: share.at,
      action: 'intel.share',
      actor: { type: 'token', kind: 'government', role: 'election-office' },
      subject: { type: 'intel' },
      facets: { distribution: 'orgs', tlp: 'red' },
      digest: eventDigest(SALT, share),
    });
  });

  it('names the subject only when it is public itself: an object shared TLP:CLEAR to the public', () => {
    const details = (tlp: string, distribution: string) =>
      canonicalJson({ distribution, source: 'rest', tlp, type: 'ipv4-addr' });
    assert.equal(entryOf({ ...share, details: details('clear', 'public') }).subject.id, share.subject_id);
    for (const [tlp, distribution] of [
      ['clear', 'community'],
      ['green', 'public'],
      ['red', 'orgs'],
    ] as const)
      assert.equal(entryOf({ ...share, details: details(tlp, distribution) }).subject.id, undefined);
    // Other actions on a public object do not know it is public: its id stays in the digest.
    for (const action of ['intel.read', 'intel.delete', 'intel.relay'])
      assert.equal(entryOf({ ...share, action, details: details('clear', 'public') }).subject.id, undefined);
  });

  it('publishes a facet or a sector only as a word of its closed vocabulary', () => {
    const odd = entryOf({
      ...share,
      actor_org_kind: 'org_77c1',
      actor_org_role: 'Someone Inc.',
      details: canonicalJson({ distribution: 'org_1,org_2', tlp: 'ipv4-addr--x' }),
    });
    assert.deepEqual(odd.actor, { type: 'token' });
    assert.deepEqual(odd.facets, {});
    assert.deepEqual(entryOf({ ...share, details: '{"tlp":' }).facets, {}, 'unparseable details: no facet');
    assert.deepEqual(entryOf({ ...share, action: 'member.update' }).facets, {});
    assert.deepEqual(entryOf({ ...share, action: 'intel.read' }).facets, { tlp: 'red' });
  });

  it('changes its digest when any field of the event or the salt changes', () => {
    const [other] = newSalts(1) as [string];
    assert.notEqual(eventDigest(other, share), eventDigest(SALT, share));
    for (const key of Object.keys(share) as (keyof EventRow)[]) {
      const changed = { ...share, [key]: key === 'details' ? '{"tlp":"amber"}' : `${share[key]}x` };
      assert.notEqual(eventDigest(SALT, changed), eventDigest(SALT, share), key);
    }
    assert.notEqual(eventDigest(SALT, { ...share, actor_org_kind: null }), eventDigest(SALT, share));
  });
});

describe('log entries (version 1, kept for the entries already in a log)', () => {
  it('reproduces a version-1 entry byte for byte', () => {
    // Written by the version-1 sequencer for this event and salt.
    const event = {
      ...share,
      details: '{"distribution":"orgs","source":"rest","tlp":"red","type":"ipv4-addr","version":null}',
    };
    assert.equal(
      canonicalEntryV1(event, 'AAECAwQFBgcICQoLDA0ODw'),
      '{"action":"intel.share","actor":{"id":"mbr_4f9a","org":"org_77c1","type":"token"},"at":"2026-11-03T12:00:00.000Z",' +
        '"digest":"sha256:c864a469dd4bd8d1c238188e899aca8bc0a010cff20c38939d1413c696153b39",' +
        '"id":"evt_0192f1a0-0000-7000-8000-000000000001","subject":{"id":"ipv4-addr--a2e5b8c4-1b5e-5b6e-9d8f-0c1a2b3c4d5e","type":"intel"},"v":1}',
    );
  });
});
