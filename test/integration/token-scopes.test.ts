// Token scopes and expiry (issue 11 §5, docs/api.md "Token scopes"): each route family answers a
// token outside its scopes with 403 TOKEN_SCOPE and changes nothing; ?token= takes feeds tokens
// only; an expired token is refused like a revoked one; a token never makes a wider token; scopes
// never let a token do more than its member's roles allow.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { createToken } from '../../src/features/membership/index.ts';
import type { TokenScope } from '../../src/policy/index.ts';
import {
  assertError,
  auditMark,
  makeOrg,
  memberWithToken,
  snapshot,
  startWithOperator,
  unique,
  uniqueEmail,
} from '../support/arrange.ts';
import { describeEachEngine } from '../support/databases.ts';
import { indicator } from '../support/intel.ts';
import { Client } from '../support/json-client.ts';
import type { TestServer } from '../support/server.ts';
import { assertTaxiiError, ROOT, TaxiiClient } from '../support/taxii.ts';

// biome-ignore lint/suspicious/noExplicitAny: REST replies are JSON inspected dynamically
type Json = any;
type Reply = { status: number; body: Json };

describeEachEngine('API token scopes and expiry', (engine) => {
  let s: TestServer;
  let admin: Awaited<ReturnType<typeof memberWithToken>>;
  let orgId: string;
  let community: string;
  before(async () => {
    s = await startWithOperator(engine);
    orgId = (await makeOrg(s)).id;
    admin = await memberWithToken(s, orgId, { roles: ['admin', 'analyst'] });
    community = await TaxiiClient.basic(s, admin.email, admin.token).collectionTitled('Community');
  });
  after(async () => s.close());

  const tokenWith = async (scopes: readonly TokenScope[], memberId = admin.member.id, expiresAt?: string) =>
    (await createToken(s.cli, { member: memberId, name: unique('scoped'), scopes: [...scopes], expiresAt }))
      .token;

  /** One probe per route family: what it needs, and the request. */
  const probes: readonly {
    readonly name: string;
    readonly needs: readonly TokenScope[];
    readonly call: (api: Client, taxii: TaxiiClient) => Promise<Reply>;
  }[] = [
    { name: 'GET /intel', needs: ['read'], call: (api) => api.get('/api/v1/intel') },
    { name: 'GET /orgs', needs: ['read'], call: (api) => api.get('/api/v1/orgs') },
    { name: 'GET /groups', needs: ['read'], call: (api) => api.get('/api/v1/groups') },
    { name: 'GET /tokens', needs: ['read'], call: (api) => api.get('/api/v1/tokens') },
    { name: 'GET /audit/events', needs: ['read'], call: (api) => api.get('/api/v1/audit/events') },
    { name: 'GET /taxii', needs: ['read'], call: (api) => api.get('/api/v1/taxii') },
    {
      name: 'GET /me',
      needs: ['read', 'share', 'feeds', 'admin'],
      call: (api) => api.get('/api/v1/me'),
    },
    {
      name: 'POST /intel',
      needs: ['share'],
      call: (api) =>
        api.post('/api/v1/intel', { objects: [indicator({ tlp: 'green' })], distribution: { kind: 'org' } }),
    },
    {
      name: 'POST /groups',
      needs: ['share'],
      call: (api) => api.post('/api/v1/groups', { name: unique('group'), orgIds: [] }),
    },
    { name: 'GET /exports/stix', needs: ['feeds'], call: (api) => api.get('/api/v1/exports/stix') },
    {
      name: 'GET /exports/blocklist',
      needs: ['feeds'],
      call: (api) => api.get('/api/v1/exports/blocklist?kind=ip'),
    },
    {
      name: 'POST /orgs/{id}/members',
      needs: ['admin'],
      call: (api) =>
        api.post(`/api/v1/orgs/${orgId}/members`, {
          email: uniqueEmail(),
          displayName: 'New',
          roles: ['analyst'],
        }),
    },
    {
      name: 'POST /tokens',
      needs: ['admin'],
      call: (api) => api.post('/api/v1/tokens', { name: 'child', scopes: ['admin'] }),
    },
    { name: 'TAXII discovery', needs: ['read', 'share', 'feeds'], call: (_, t) => t.get('/taxii2/') },
    {
      name: 'TAXII collections',
      needs: ['read', 'share', 'feeds'],
      call: (_, t) => t.get(`${ROOT}/collections/`),
    },
    {
      name: 'TAXII get objects',
      needs: ['read', 'feeds'],
      call: (_, t) => t.get(`${ROOT}/collections/${community}/objects/`),
    },
    {
      name: 'TAXII manifest',
      needs: ['read', 'feeds'],
      call: (_, t) => t.get(`${ROOT}/collections/${community}/manifest/`),
    },
    {
      name: 'TAXII add objects',
      needs: ['share'],
      call: (_, t) =>
        t.post(`${ROOT}/collections/${community}/objects/`, { objects: [indicator({ tlp: 'green' })] }),
    },
  ];

  for (const scope of ['read', 'share', 'feeds', 'admin'] as const) {
    it(`a ${scope} token calls exactly the routes of its scope; elsewhere 403 TOKEN_SCOPE, nothing changed`, async () => {
      const token = await tokenWith([scope]);
      const api = new Client(s.url).withToken(token) as Client;
      const taxii = TaxiiClient.basic(s, admin.email, token);
      for (const p of probes) {
        const before = await snapshot(s);
        const r = await p.call(api, taxii);
        if (p.needs.includes(scope)) {
          assert.ok(r.status >= 200 && r.status < 300, `${p.name}: ${r.status} ${JSON.stringify(r.body)}`);
        } else if (p.name.startsWith('TAXII')) {
          assertTaxiiError(r as Json, 403, 'TOKEN_SCOPE');
          assert.deepEqual(await snapshot(s), before, p.name);
        } else {
          assertError(r as Json, 403, 'TOKEN_SCOPE');
          assert.deepEqual(await snapshot(s), before, p.name);
        }
      }
    });
  }

  it('a token created without scopes has all four (as tokens before scopes); a session is unscoped', async () => {
    const created = await admin.api.post('/api/v1/tokens', { name: 'everything' });
    assert.equal(created.status, 201);
    assert.deepEqual(created.body.scopes, ['read', 'share', 'feeds', 'admin']);
    assert.equal(created.body.expiresAt, null);
    const api = new Client(s.url).withToken(created.body.token) as Client;
    const taxii = TaxiiClient.basic(s, admin.email, created.body.token);
    for (const p of probes) {
      const r = await p.call(api, taxii);
      assert.ok(r.status >= 200 && r.status < 300, `${p.name}: ${r.status} ${JSON.stringify(r.body)}`);
    }
  });

  it('TAXII can_write says whether the token may add: share tokens yes, feeds and read tokens no', async () => {
    for (const [scope, writes] of [
      ['share', true],
      ['feeds', false],
      ['read', false],
    ] as const) {
      const cols = await TaxiiClient.basic(s, admin.email, await tokenWith([scope])).collections();
      const c = cols.find((x) => x.id === community);
      assert.equal(c?.can_write, writes, scope);
    }
  });

  it('scopes never exceed the roles: an analyst’s admin token still cannot invite (403 FORBIDDEN)', async () => {
    const analyst = await memberWithToken(s, orgId, { roles: ['analyst'] });
    const api = new Client(s.url).withToken(await tokenWith(['admin'], analyst.member.id)) as Client;
    const before = await snapshot(s);
    assertError(
      await api.post(`/api/v1/orgs/${orgId}/members`, {
        email: uniqueEmail(),
        displayName: 'X',
        roles: ['analyst'],
      }),
      403,
      'FORBIDDEN',
    );
    assert.deepEqual(await snapshot(s), before);
  });

  it('?token= takes a feeds token only; the header takes any token the route allows', async () => {
    const feeds = await tokenWith(['feeds']);
    const readShare = await tokenWith(['read', 'share']);
    const all = await tokenWith(['read', 'share', 'feeds', 'admin']);
    const anon = new Client(s.url);
    assert.equal((await anon.get(`/api/v1/exports/blocklist?kind=ip&token=${feeds}`)).status, 200);
    assert.equal((await anon.get(`/api/v1/exports/csv?token=${all}`)).status, 200);
    assertError(await anon.get(`/api/v1/exports/csv?token=${readShare}`), 403, 'TOKEN_SCOPE');
    // A query token is never read outside exports, whatever its scopes.
    assertError(await anon.get(`/api/v1/intel?token=${all}`), 401, 'UNAUTHENTICATED');
    assertError(await anon.get(`/api/v1/me?token=${all}`), 401, 'UNAUTHENTICATED');
    // A wrong query token is a 401, never the anonymous (public) export.
    assertError(await anon.get(`/api/v1/exports/csv?token=tbl_${'A'.repeat(43)}`), 401, 'TOKEN_INVALID');
  });

  it('an expired token is refused like a revoked one (401 TOKEN_INVALID), by REST and TAXII', async () => {
    const expiresAt = new Date(s.clock.now() + 3_600_000).toISOString();
    const created = await admin.api.post('/api/v1/tokens', {
      name: 'one hour',
      scopes: ['read', 'feeds'],
      expiresAt,
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(created.body.scopes, ['read', 'feeds']);
    assert.equal(created.body.expiresAt, expiresAt);
    const listed = (await admin.api.get('/api/v1/tokens')).body.items.find(
      (t: Json) => t.id === created.body.id,
    );
    assert.deepEqual([listed.scopes, listed.expiresAt], [['read', 'feeds'], expiresAt]);
    const api = new Client(s.url).withToken(created.body.token);
    const taxii = TaxiiClient.basic(s, admin.email, created.body.token);
    assert.equal((await api.get('/api/v1/intel')).status, 200);
    s.clock.advance(3_599_000);
    assert.equal((await taxii.get(`${ROOT}/collections/`)).status, 200);
    s.clock.advance(1_000);
    assertError(await api.get('/api/v1/intel'), 401, 'TOKEN_INVALID');
    assertError(
      await new Client(s.url).get(`/api/v1/exports/csv?token=${created.body.token}`),
      401,
      'TOKEN_INVALID',
    );
    assertTaxiiError(await taxii.get(`${ROOT}/collections/`), 401, 'TOKEN_INVALID');
  });

  it('a token makes only narrower tokens: admin needed, no new scope, no later expiry', async () => {
    const soon = new Date(s.clock.now() + 86_400_000).toISOString();
    const later = new Date(s.clock.now() + 2 * 86_400_000).toISOString();
    const earlier = new Date(s.clock.now() + 3_600_000).toISOString();
    const parent = new Client(s.url).withToken(await tokenWith(['admin', 'feeds'], admin.member.id, soon));
    const before = await snapshot(s);
    for (const body of [
      { name: 'wider', scopes: ['read'], expiresAt: earlier },
      { name: 'no expiry', scopes: ['feeds'] },
      { name: 'outlives', scopes: ['feeds'], expiresAt: later },
      { name: 'default scopes', expiresAt: earlier },
    ]) {
      assertError(await parent.post('/api/v1/tokens', body), 403, 'TOKEN_SCOPE');
    }
    assert.deepEqual(await snapshot(s), before);
    const child = await parent.post('/api/v1/tokens', {
      name: 'device',
      scopes: ['feeds'],
      expiresAt: earlier,
    });
    assert.equal(child.status, 201, JSON.stringify(child.body));
    assert.deepEqual([child.body.scopes, child.body.expiresAt], [['feeds'], earlier]);
  });

  it('refuses bad scopes and expiries with a coded 400 naming the field, creating nothing', async () => {
    const before = await snapshot(s);
    for (const [body, field] of [
      [{ name: 'x', scopes: [] }, 'scopes'],
      [{ name: 'x', scopes: ['write'] }, 'scopes'],
      [{ name: 'x', scopes: ['read', 'read'] }, 'scopes'],
      [{ name: 'x', scopes: 'read' }, 'scopes'],
      [{ name: 'x', expiresAt: new Date(s.clock.now() - 1000).toISOString() }, 'expiresAt'],
      [{ name: 'x', expiresAt: new Date(s.clock.now()).toISOString() }, 'expiresAt'],
      [{ name: 'x', expiresAt: 'tomorrow' }, 'expiresAt'],
      [{ name: 'x', expiresAt: '2027-02-31T00:00:00Z' }, 'expiresAt'],
      [{ name: 'x', expiresAt: '2027-01-01' }, 'expiresAt'],
      [{ name: 'x', expiresAt: 1893456000000 }, 'expiresAt'],
    ] as const) {
      const r = await admin.api.post('/api/v1/tokens', body);
      assertError(r, 400, 'VALIDATION_FAILED');
      assert.ok(
        r.body.fields.every((f: string) => f.startsWith(field)),
        JSON.stringify({ body, reply: r.body }),
      );
    }
    assert.deepEqual(await snapshot(s), before);
  });

  it('audits the scopes and expiry of a new token', async () => {
    const mark = await auditMark(s);
    const expiresAt = '2027-01-01T00:00:00.000Z';
    const r = await admin.api.post('/api/v1/tokens', {
      name: 'audited',
      scopes: ['feeds', 'read'],
      expiresAt,
    });
    assert.equal(r.status, 201);
    const events = (await mark()).filter((e) => e.action === 'token.create');
    assert.equal(events.length, 1);
    const details = JSON.parse(String(events[0]?.details));
    assert.deepEqual([details.scopes, details.expiresAt], [['read', 'feeds'], expiresAt]);
  });
});
