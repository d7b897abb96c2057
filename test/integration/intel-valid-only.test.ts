// Issue 9 §5 and §2 (docs/sharing.md "Only valid intelligence"): REST, the web app's session and
// TAXII refuse what `tabella stix validate` refuses — unparseable patterns, impossible observable
// values, over-precise timestamps, non-canonical ids — with INVALID_STIX at the failing path, and
// store nothing of it; the exports never hand a device an entry it would misread, even from rows
// stored before these checks.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { orgIdentityId } from '../../src/features/intel/index.ts';
import { memberWithPassword, memberWithToken, signedIn } from '../support/arrange.ts';
import { describeEachEngine } from '../support/databases.ts';
import { assertHidden, indicator, type SharingMember, share, startSharingWorld } from '../support/intel.ts';
import { findings, invalidAt, validKin } from '../support/invalid-intel.ts';
import type { TestServer } from '../support/server.ts';
import { TaxiiClient } from '../support/taxii.ts';

// biome-ignore lint/suspicious/noExplicitAny: REST replies are JSON inspected dynamically
type Json = any;

describeEachEngine('intel: only valid intelligence is stored and shared', (engine) => {
  let s: TestServer;
  let A: SharingMember;
  let B: SharingMember;
  before(async () => {
    ({ s, A, B } = await startSharingWorld(engine));
  });
  after(async () => s.close());

  it('REST refuses every finding with INVALID_STIX at its path, stores none, and keeps the valid kin', async () => {
    const bad = findings();
    const good = validKin();
    const r = await share(A.api, [...good, ...bad.map((f) => f.object)], { kind: 'community' }, 'green');
    assert.deepEqual(
      r.successes.map((x: Json) => x.id),
      good.map((o) => o.id),
    );
    assert.deepEqual(
      r.failures.map((x: Json) => [x.index - good.length, x.code, ...invalidAt(x.message)]),
      bad.map((f, i) => [i, 'INVALID_STIX', f.path, f.issue]),
      'each finding at its path',
    );
    for (const f of bad)
      if (/^[a-z-]+--[0-9a-f-]{36}$/.test(f.object.id)) await assertHidden(B.api, f.object.id);
  });

  it('the web app (a signed-in session) goes through the same validation', async () => {
    const person = await memberWithPassword(s, A.org.id);
    const web = await signedIn(s, person.email);
    const [unparseable] = findings();
    const r = await web.post('/api/v1/intel', {
      objects: [unparseable?.object, indicator()],
      distribution: { kind: 'community' },
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.successes.length, 1);
    assert.deepEqual(
      r.body.failures.map((x: Json) => [x.index, x.code, ...invalidAt(x.message)]),
      [[0, 'INVALID_STIX', '$.pattern', 'INVALID_PATTERN']],
    );
  });

  it('TAXII add-objects reports every finding as an INVALID_STIX failure with its path', async () => {
    const m = await memberWithToken(s, A.org.id);
    const taxii = TaxiiClient.basic(s, m.email, m.token);
    const bad = findings();
    const status = await taxii.add(
      await taxii.collectionTitled(A.org.name),
      bad.map((f) => f.object),
    );
    assert.equal(status.success_count, 0);
    assert.deepEqual(
      status.failures.map((d: Json) => {
        const [code, rest] = [
          d.message.slice(0, d.message.indexOf(': ')),
          d.message.slice(d.message.indexOf(': ') + 2),
        ];
        return [code, ...invalidAt(rest)];
      }),
      bad.map((f) => ['INVALID_STIX', f.path, f.issue]),
    );
  });

  it("ten fraction digits are refused at $.modified instead of collapsing into one 'unversioned' key", async () => {
    const id = indicator().id;
    // Before: both were keyed UNVERSIONED, so the first was stored and the second a DUPLICATE_VERSION.
    const v0 = indicator({ id, modified: '2026-02-01T00:00:00.1234567891Z' });
    const v0b = indicator({ id, modified: '2026-02-02T00:00:00.1234567891Z' });
    const v1 = indicator({ id, modified: '2026-03-01T00:00:00.000Z', name: 'v1' });
    const v2 = indicator({ id, modified: '2026-04-01T00:00:00.000000001Z', name: 'v2' });
    const r = await share(A.api, [v0, v0b], { kind: 'community' }, 'green');
    assert.deepEqual(
      r.failures.map((x: Json) => [x.code, ...invalidAt(x.message)]),
      [
        ['INVALID_STIX', '$.modified', 'TIMESTAMP_PRECISION'],
        ['INVALID_STIX', '$.modified', 'TIMESTAMP_PRECISION'],
      ],
    );
    for (const v of [v1, v2])
      assert.equal((await share(A.api, [v], { kind: 'community' }, 'green')).successes.length, 1);
    const versions = await A.api.get(`/api/v1/intel/${id}/versions`);
    assert.deepEqual(
      versions.body.items.map((x: Json) => x.object.name),
      ['v1', 'v2'],
    );
  });

  it("an upper-case spelling of another member's identity or object id is refused, not a new name", async () => {
    const hexOf = (id: string) => id.slice(id.indexOf('--') + 2);
    const shout = (id: string) => `${id.slice(0, id.indexOf('--') + 2)}${hexOf(id).toUpperCase()}`;
    // Before: FORGED_CREATED_BY compared text, so identity--<B's UUID in upper case> passed.
    const forged = indicator({ createdByRef: shout(orgIdentityId(B.org.id)) });
    const bs = indicator({ tlp: 'green' });
    await share(B.api, [bs], { kind: 'community' });
    // Before: B's id in upper case was a different text, so A could store "B's" object as its own.
    const takeover = { ...bs, id: shout(bs.id), modified: '2026-06-01T00:00:00.000Z', name: 'taken over' };
    const r = await share(A.api, [forged, takeover], { kind: 'community' }, 'green');
    assert.deepEqual(r.successes, []);
    assert.deepEqual(
      r.failures.map((x: Json) => [x.index, x.code, ...invalidAt(x.message)]),
      [
        [0, 'INVALID_STIX', '$.created_by_ref', 'INVALID_IDENTIFIER'],
        [1, 'INVALID_STIX', '$.id', 'INVALID_IDENTIFIER'],
      ],
    );
    assert.equal((await B.api.get(`/api/v1/intel/${bs.id}`)).body.ownerOrgId, B.org.id);
  });

  it('exports never emit an entry a device would misread, even from rows stored before the checks', async () => {
    const seeds = [
      indicator({ pattern: "[ipv4-addr:value = '192.0.2.10']", tlp: 'green' }),
      ...['192.0.2.11', '192.0.2.12', '192.0.2.13'].map((ip) =>
        indicator({ pattern: `[ipv4-addr:value = '${ip}']`, tlp: 'green' }),
      ),
    ];
    const [keep, wide, tld, newline] = seeds;
    await share(A.api, seeds, { kind: 'orgs', orgIds: [B.org.id] });
    // Rewrite stored rows as an older version of Tabella let them in.
    const legacy: readonly [string | undefined, string][] = [
      [wide?.id, "[ipv4-addr:value = '0.0.0.0/0'] OR [ipv4-addr:value = '0.0.0.0']"],
      [tld?.id, "[domain-name:value = 'com'] OR [domain-name:value = '*.example.com']"],
      [
        newline?.id,
        "[domain-name:value = 'evil.example\ngoogle.com'] OR [url:value = 'http://evil.example/*']",
      ],
    ];
    for (const [id, pattern] of legacy) {
      const row = await s.db.kysely
        .selectFrom('intel_objects')
        .select(['row_id', 'data'])
        .where('stix_id', '=', id ?? '')
        .executeTakeFirstOrThrow();
      const data = { ...(JSON.parse(row.data) as Record<string, unknown>), pattern, name: 'legacy\nrow' };
      await s.db.kysely
        .updateTable('intel_objects')
        .set({ data: JSON.stringify(data) })
        .where('row_id', '=', row.row_id)
        .execute();
    }
    const list = async (kind: string) => {
      const r = await B.api.get(`/api/v1/exports/blocklist?kind=${kind}&org=${A.org.id}`);
      assert.equal(r.status, 200);
      return (r.body as string).split('\n').filter(Boolean);
    };
    const ips = await list('ip');
    assert.ok(ips.includes('192.0.2.10'), ips.join(' '));
    for (const entry of ['0.0.0.0/0', '0.0.0.0']) assert.ok(!ips.includes(entry), entry);
    const domains = await list('domain');
    for (const entry of ['com', '*.example.com', 'evil.example', 'google.com'])
      assert.ok(!domains.includes(entry), entry);
    assert.ok(!(await list('url')).some((u) => u.includes('*')));
    for (const kind of ['ip', 'domain', 'url', 'hash']) {
      for (const entry of await list(kind)) assert.doesNotMatch(entry, /[\s\p{Cc}\p{Cf}]/u, entry);
    }
    const csv = (await B.api.get(`/api/v1/exports/csv?org=${A.org.id}`)).body as string;
    const records = csv.split('\r\n').filter(Boolean);
    assert.ok(records.some((line) => line.includes(keep?.id ?? '?')));
    for (const line of records) assert.doesNotMatch(line, /[\n\r\p{Cc}]/u, line);
  });
});
