import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { createGroup } from '../../src/features/intel/index.ts';
import { makeOrg, memberWithToken, startWithOperator } from '../support/arrange.ts';
import { describeEachEngine } from '../support/databases.ts';
import type { TestServer } from '../support/server.ts';
import { startTestServer } from '../support/server.ts';
import { assertTaxiiError, indicator, memberContext, ROOT, TAXII, TaxiiClient } from '../support/taxii.ts';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describeEachEngine('TAXII 2.1 server: discovery, API root, collections, negotiation, errors', (engine) => {
  let s: TestServer;
  before(async () => {
    s = await startWithOperator(engine);
  });
  after(async () => s.close());

  async function analyst(orgName?: string) {
    const org = await makeOrg(s, orgName === undefined ? {} : { name: orgName });
    const m = await memberWithToken(s, org.id);
    return { org, ...m, taxii: TaxiiClient.basic(s, m.email, m.token) };
  }

  it('serves discovery and the API root in the TAXII media type, anonymously too', async () => {
    const anon = TaxiiClient.anonymous(s);
    for (const path of ['/taxii2/', '/taxii2']) {
      const d = await anon.get(path);
      assert.equal(d.status, 200);
      assert.equal(d.headers.get('content-type'), TAXII);
      assert.equal(d.body.default, `${s.url}/taxii2/api/`);
      assert.deepEqual(d.body.api_roots, [`${s.url}/taxii2/api/`]);
      assert.equal(typeof d.body.title, 'string');
    }
    const root = await anon.get(`${ROOT}/`);
    assert.equal(root.status, 200);
    assert.deepEqual(root.body.versions, [TAXII]);
    assert.equal(root.body.max_content_length, s.config.bodyLimitBytes);
  });

  it('without a configured public URL, advertises the API root at the address the client used', async () => {
    const bare = await startTestServer(engine, { TABELLA_PUBLIC_URL: '' });
    try {
      const port = new URL(bare.url).port;
      for (const origin of [`http://127.0.0.1:${port}`, `http://localhost:${port}`]) {
        const d = await new TaxiiClient(origin).get('/taxii2/');
        assert.equal(d.status, 200);
        assert.deepEqual(d.body.api_roots, [`${origin}/taxii2/api/`]);
        assert.equal(d.body.default, `${origin}/taxii2/api/`);
        assert.match(d.headers.get('vary') ?? '', /host/i);
        // The advertised root answers.
        assert.equal((await new TaxiiClient(origin).get('/taxii2/api/')).status, 200);
      }
    } finally {
      await bare.close();
    }
  });

  it('lists Community, Public, the own organization and its sharing groups, with stable ids', async () => {
    const a = await analyst();
    const b = await analyst();
    const c = await analyst();
    const group = await createGroup(await memberContext(s, a.token), {
      name: 'Election Night Group',
      orgIds: [b.org.id],
    });
    const listed = await a.taxii.collections();
    assert.deepEqual(
      listed.map((x) => x.title),
      ['Community', 'Public', a.org.name, 'Election Night Group'],
    );
    for (const x of listed) {
      assert.match(x.id, UUID_RE);
      assert.equal(x.can_read, true);
      assert.equal(x.can_write, true);
      assert.deepEqual(x.media_types, ['application/stix+json;version=2.1']);
    }
    // The same ids for another member of another organization, except the organization's own.
    const forB = await b.taxii.collections();
    assert.deepEqual(
      forB.map((x) => x.title),
      ['Community', 'Public', b.org.name, 'Election Night Group'],
    );
    assert.equal(forB[0].id, listed[0].id);
    assert.equal(forB[1].id, listed[1].id);
    assert.notEqual(forB[2].id, listed[2].id);
    assert.equal(forB[3].id, listed[3].id);
    // Not a member of the group: no such collection (404, like a missing one).
    const forC = await c.taxii.collections();
    assert.equal(forC.length, 3);
    assertTaxiiError(await c.taxii.get(`${ROOT}/collections/${listed[3].id}/`), 404, 'NOT_FOUND');
    assertTaxiiError(await c.taxii.get(`${ROOT}/collections/${listed[2].id}/objects/`), 404, 'NOT_FOUND');
    // One collection by id.
    const one = await a.taxii.get(`${ROOT}/collections/${listed[3].id}/`);
    assert.equal(one.status, 200);
    assert.equal(one.body.title, 'Election Night Group');
    assert.ok(group.id);
  });

  it('shows anonymous clients the Public collection only, read-only; the rest asks to authenticate', async () => {
    const a = await analyst();
    const ids = await a.taxii.collections();
    const anon = TaxiiClient.anonymous(s);
    const listed = await anon.collections();
    assert.deepEqual(
      listed.map((x) => [x.title, x.can_read, x.can_write]),
      [['Public', true, false]],
    );
    assert.equal(listed[0].id, ids[1].id);
    const community = ids[0].id;
    const r = await anon.get(`${ROOT}/collections/${community}/objects/`);
    assertTaxiiError(r, 401, 'UNAUTHENTICATED');
    assert.match(r.headers.get('www-authenticate') ?? '', /Basic/);
    assertTaxiiError(
      await anon.post(`${ROOT}/collections/${listed[0].id}/objects/`, { objects: [] }),
      401,
      'UNAUTHENTICATED',
    );
    assertTaxiiError(
      await anon.get(`${ROOT}/status/00000000-0000-4000-8000-000000000000/`),
      401,
      'UNAUTHENTICATED',
    );
  });

  it('refuses wrong credentials with 401 rather than answering anonymously', async () => {
    const a = await analyst();
    const wrongEmail = TaxiiClient.basic(s, 'someone@example.org', a.token);
    const r = await wrongEmail.get(`${ROOT}/collections/`);
    assertTaxiiError(r, 401, 'TOKEN_INVALID');
    assert.match(r.headers.get('www-authenticate') ?? '', /Basic realm=/);
    assertTaxiiError(await new TaxiiClient(s.url, 'Digest abc').get(`${ROOT}/`), 401, 'UNAUTHENTICATED');
    const bearer = new TaxiiClient(s.url, `Bearer ${a.token}`);
    assert.equal((await bearer.collections()).length, 3);
  });

  it('negotiates the media type: 406 for other Accept values, 415 for other bodies', async () => {
    const a = await analyst();
    const ok = [
      'application/taxii+json;version=2.1',
      'application/taxii+json',
      'application/taxii+json; version=2.1',
      '*/*',
      'application/json, application/taxii+json;version=2.1;q=0.5',
    ];
    for (const accept of ok) {
      const r = await a.taxii.get(`${ROOT}/`, { accept });
      assert.equal(r.status, 200, accept);
      assert.equal(r.headers.get('content-type'), TAXII);
    }
    for (const accept of [
      'application/json',
      'application/taxii+json;version=2.0',
      'text/html',
      'application/taxii+json;version=2.1;q=0',
    ]) {
      assertTaxiiError(await a.taxii.get(`${ROOT}/collections/`, { accept }), 406, 'NOT_ACCEPTABLE');
    }
    const community = await a.taxii.collectionTitled('Community');
    const path = `${ROOT}/collections/${community}/objects/`;
    for (const type of [
      'application/json',
      'application/stix+json;version=2.1',
      'application/taxii+json;version=2.0',
      'text/plain',
    ]) {
      assertTaxiiError(
        await a.taxii.post(path, { objects: [indicator()] }, { 'content-type': type }),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      );
    }
    assertTaxiiError(await a.taxii.post(path, '{"objects": [', {}), 400, 'MALFORMED_JSON');
    assertTaxiiError(await a.taxii.post(path, [indicator()]), 400, 'VALIDATION_FAILED');
    assertTaxiiError(await a.taxii.post(path, { objects: 'x' }), 400, 'VALIDATION_FAILED');
  });

  it('refuses bodies over max_content_length with 413 and suspended organizations with 403', async () => {
    const a = await analyst();
    const community = await a.taxii.collectionTitled('Community');
    const big = { objects: [{ ...indicator(), description: 'x'.repeat(s.config.bodyLimitBytes) }] };
    assertTaxiiError(
      await a.taxii.post(`${ROOT}/collections/${community}/objects/`, big),
      413,
      'PAYLOAD_TOO_LARGE',
    );
    await s.db.kysely
      .updateTable('organizations')
      .set({ status: 'suspended' })
      .where('id', '=', a.org.id)
      .execute();
    assertTaxiiError(await a.taxii.get(`${ROOT}/collections/`), 403, 'ORG_SUSPENDED');
  });

  it('answers unknown resources, collections, objects and statuses with TAXII 404s', async () => {
    const a = await analyst();
    const community = await a.taxii.collectionTitled('Community');
    assertTaxiiError(await a.taxii.get('/taxii2/nothing/'), 404, 'NOT_FOUND');
    assertTaxiiError(await a.taxii.get(`${ROOT}/collections/not-a-uuid/`), 404, 'NOT_FOUND');
    assertTaxiiError(
      await a.taxii.get(
        `${ROOT}/collections/${community}/objects/indicator--00000000-0000-4000-8000-000000000000/`,
      ),
      404,
      'NOT_FOUND',
    );
    assertTaxiiError(
      await a.taxii.get(`${ROOT}/collections/${community}/objects/garbage/versions/`),
      404,
      'NOT_FOUND',
    );
    assertTaxiiError(
      await a.taxii.get(`${ROOT}/status/00000000-0000-4000-8000-000000000000/`),
      404,
      'NOT_FOUND',
    );
    assertTaxiiError(await a.taxii.get(`${ROOT}/status/garbage/`), 404, 'NOT_FOUND');
  });

  it('refuses bad filters with 400 and names them', async () => {
    const a = await analyst();
    const community = await a.taxii.collectionTitled('Community');
    const objects = `${ROOT}/collections/${community}/objects/`;
    const cases: [string, string][] = [
      ['added_after=yesterday', 'added_after'],
      ['limit=0', 'limit'],
      ['limit=-3', 'limit'],
      ['limit=ten', 'limit'],
      ['match[id]=not-an-id', 'match[id]'],
      ['match[type]=Not_A_Type', 'match[type]'],
      ['match[version]=latest', 'match[version]'],
      ['match[spec_version]=two', 'match[spec_version]'],
      ['match[colour]=red', 'match[colour]'],
      ['next=not-a-cursor', 'next'],
    ];
    for (const [query, field] of cases) {
      const r = await a.taxii.get(`${objects}?${query}`);
      assertTaxiiError(r, 400, 'VALIDATION_FAILED');
      assert.deepEqual(r.body.details?.fields, [field], query);
    }
    // match[id] and match[type] do not apply to one object's versions.
    const id = indicator().id as string;
    await a.taxii.add(community, [indicator({ id })]);
    const r = await a.taxii.get(`${objects}${id}/versions/?match[type]=indicator`);
    assertTaxiiError(r, 400, 'VALIDATION_FAILED');
  });
});
