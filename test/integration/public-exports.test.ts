// Public data without signing in (issue 11 §5, docs/sharing.md "Exports"): an anonymous export
// holds exactly the public objects (TLP:CLEAR, public distribution, not deleted) — the visibility
// rule's anonymous actor, never more — is not audited, and is limited per client address; anonymous
// TAXII requests are rate-limited per address too.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import {
  anonymous,
  assertError,
  auditMark,
  makeOrg,
  memberWithToken,
  startWithOperator,
  trustForwardedFor,
} from '../support/arrange.ts';
import { describeEachEngine } from '../support/databases.ts';
import { observable, share } from '../support/intel.ts';
import type { Client } from '../support/json-client.ts';
import type { TestServer } from '../support/server.ts';
import { assertTaxiiError, ROOT, TaxiiClient } from '../support/taxii.ts';

// biome-ignore lint/suspicious/noExplicitAny: REST replies are JSON inspected dynamically
type Json = any;

trustForwardedFor();

describeEachEngine('public exports, anonymously and rate-limited', (engine) => {
  let s: TestServer;
  let a: Awaited<ReturnType<typeof memberWithToken>>;
  let b: Awaited<ReturnType<typeof memberWithToken>>;
  let bOrg: string;
  const ip = (n: number) => `203.0.113.${n}`;
  before(async () => {
    s = await startWithOperator(engine, { TABELLA_EXPORT_RATE_LIMIT: '3', TABELLA_PUBLIC_RATE_LIMIT: '5' });
    a = await memberWithToken(s, (await makeOrg(s)).id);
    bOrg = (await makeOrg(s)).id;
    b = await memberWithToken(s, bOrg);
    await share(a.api, [observable('ipv4-addr', ip(1), 'clear'), observable('ipv4-addr', ip(2), 'clear')], {
      kind: 'public',
    });
    await share(a.api, [observable('ipv4-addr', ip(3), 'clear')], { kind: 'community' });
    await share(a.api, [observable('ipv4-addr', ip(4), 'green')], { kind: 'community' });
    await share(a.api, [observable('ipv4-addr', ip(5), 'red')], { kind: 'orgs', orgIds: [bOrg] });
    await share(a.api, [observable('ipv4-addr', ip(6), 'clear')], { kind: 'org' });
    const gone = await share(a.api, [observable('ipv4-addr', ip(7), 'clear')], { kind: 'public' });
    assert.equal((await a.api.delete(`/api/v1/intel/${gone.successes[0].id}`)).status, 204);
  });
  after(async () => s.close());

  const blocklist = async (c: Client, query = '') => {
    const r = await c.get(`/api/v1/exports/blocklist?kind=ip${query}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return String(r.body ?? '')
      .trim()
      .split('\n')
      .filter(Boolean)
      .sort();
  };

  it('answers the public objects only, in every format, through the same filters; unaudited', async () => {
    const mark = await auditMark(s);
    const anon = anonymous(s);
    assert.deepEqual(await blocklist(anon), [ip(1), ip(2)]);
    const stix = await anon.get('/api/v1/exports/stix');
    assert.equal(stix.status, 200);
    assert.deepEqual(stix.body.objects.map((o: Json) => o.value).sort(), [ip(1), ip(2)]);
    const csv = await anonymous(s).get('/api/v1/exports/csv');
    assert.equal(csv.status, 200);
    const rows = String(csv.body).trim().split('\r\n');
    assert.equal(rows.length, 3, String(csv.body));
    assert.ok(rows.slice(1).every((r) => r.includes(',clear,')));
    // Filters narrow within the public objects; they never widen.
    assert.deepEqual(await blocklist(anonymous(s), '&tlp=green'), []);
    assert.deepEqual(await blocklist(anonymous(s), '&tlp=red'), []);
    assert.deepEqual(
      (await mark()).filter((e) => e.action === 'intel.export'),
      [],
    );
    // Members still get what they may see, audited: B sees community, GREEN and the RED sent to it.
    assert.deepEqual(await blocklist(b.api as Client), [ip(1), ip(2), ip(3), ip(4), ip(5)].sort());
    assert.equal((await mark()).filter((e) => e.action === 'intel.export').length, 1);
  });

  it('limits anonymous exports per client address (429 RATE_LIMITED, Retry-After); members and other addresses unaffected', async () => {
    const one = anonymous(s);
    for (let i = 0; i < 3; i++) assert.equal((await one.get('/api/v1/exports/csv')).status, 200);
    const refused = await one.get('/api/v1/exports/csv');
    assertError(refused, 429, 'RATE_LIMITED');
    assert.ok(Number(refused.headers.get('retry-after')) >= 1);
    assert.equal((await anonymous(s).get('/api/v1/exports/csv')).status, 200);
    // A member exporting from that same address counts on their own budget.
    assert.equal(
      (await (b.api as Client).asClientAt(String(one.forwardedFor)).get('/api/v1/exports/csv')).status,
      200,
    );
    // The window slides: a minute later the address may export again.
    s.clock.advance(60_000);
    assert.equal((await one.get('/api/v1/exports/csv')).status, 200);
  });

  it('a stale or wrong credential is a 401, never a silent downgrade to the public export', async () => {
    assertError(
      await anonymous(s)
        .withToken(`tbl_${'Z'.repeat(43)}`)
        .get('/api/v1/exports/csv'),
      401,
      'TOKEN_INVALID',
    );
    const stale = await anonymous(s).call('GET', '/api/v1/exports/csv', undefined, {
      cookie: 'tabella_session=not-a-session',
    });
    assertError(stale, 401, 'SESSION_EXPIRED');
  });

  it('rate-limits anonymous TAXII requests per address and endpoint; authenticated ones are not', async () => {
    const at = `198.18.0.${Math.floor(Math.random() * 200) + 1}`;
    const anon = new TaxiiClient(s.url);
    const from = { 'x-forwarded-for': at };
    for (let i = 0; i < 5; i++) assert.equal((await anon.get(`${ROOT}/collections/`, from)).status, 200);
    const refused = await anon.get(`${ROOT}/collections/`, from);
    assertTaxiiError(refused, 429, 'RATE_LIMITED');
    assert.ok(Number(refused.headers.get('retry-after')) >= 1);
    const member = TaxiiClient.basic(s, a.email, a.token);
    for (let i = 0; i < 7; i++) assert.equal((await member.get(`${ROOT}/collections/`, from)).status, 200);
  });
});
