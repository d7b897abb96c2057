import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { makeOrg, memberWithToken, startWithOperator } from '../support/arrange.ts';
import { describeEachEngine } from '../support/databases.ts';
import type { TestServer } from '../support/server.ts';
import { indicator } from '../support/taxii.ts';

// The OASIS reference client (taxii2-client 2.3, taxii2client/v21 and common.py) walked step by
// step: the same URLs (trailing slashes, urljoin of api_roots and of "../../status/<id>"), the same
// headers (Accept and Content-Type "application/taxii+json;version=2.1", HTTP Basic), its
// token-by-token Content-Type check and the validations it applies to each resource.
const MEDIA = 'application/taxii+json;version=2.1';

/** common.py `_HTTPConnection.valid_content_type` for version 2.1. */
function validContentType(contentType: string, accept: string): boolean {
  const acceptTokens = accept.replaceAll(' ', '').split(';');
  const tokens = contentType.replaceAll(' ', '').split(';');
  return acceptTokens.every((t) => tokens.includes(t)) && tokens[0] === 'application/taxii+json';
}

class Conn {
  constructor(readonly auth: string) {}

  // biome-ignore lint/suspicious/noExplicitAny: the reference client handles parsed JSON dynamically
  async get(url: string, params: Record<string, string | number> = {}): Promise<any> {
    const u = new URL(url);
    for (const [k, v] of Object.entries(params)) u.searchParams.set(k, String(v));
    const res = await fetch(u, {
      headers: { accept: MEDIA, authorization: this.auth, 'user-agent': 'taxii2-client/2.3.0' },
    });
    assert.ok(res.ok, `${res.status} for GET ${u}`);
    assert.ok(
      validContentType(res.headers.get('content-type') ?? '', MEDIA),
      res.headers.get('content-type') ?? '',
    );
    return res.json();
  }

  // biome-ignore lint/suspicious/noExplicitAny: as above
  async post(url: string, envelope: unknown): Promise<any> {
    const res = await fetch(url, {
      method: 'POST',
      headers: { accept: MEDIA, 'content-type': MEDIA, authorization: this.auth },
      body: JSON.stringify(envelope),
    });
    assert.ok(res.ok, `${res.status} for POST ${url}`);
    return res.json();
  }

  async delete(url: string, params: Record<string, string> = {}): Promise<void> {
    const u = new URL(url);
    for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
    const res = await fetch(u, { method: 'DELETE', headers: { accept: MEDIA, authorization: this.auth } });
    assert.ok(res.ok, `${res.status} for DELETE ${u}`);
  }
}

describeEachEngine('TAXII 2.1 server with the reference client’s requests (taxii2-client v21)', (engine) => {
  let s: TestServer;
  before(async () => {
    s = await startWithOperator(engine);
  });
  after(async () => s.close());

  it('discovers, lists collections, adds objects, polls status, pages with as_pages, reads, deletes', async () => {
    const org = await makeOrg(s);
    const m = await memberWithToken(s, org.id);
    const conn = new Conn(`Basic ${Buffer.from(`${m.email}:${m.token}`).toString('base64')}`);

    // Server(url).refresh(): title required; api_roots joined onto the discovery URL.
    const serverUrl = `${s.url}/taxii2/`;
    const discovery = await conn.get(serverUrl);
    assert.ok(discovery.title);
    const roots = (discovery.api_roots as string[]).map((r) => new URL(r, serverUrl).href);
    assert.ok(roots.includes(new URL(discovery.default, serverUrl).href));
    const apiRoot = roots[0] ?? '';

    // ApiRoot.refresh_information(): title, versions, max_content_length required.
    const info = await conn.get(apiRoot);
    assert.ok(info.title && info.versions.length > 0 && info.max_content_length !== undefined);

    // ApiRoot.refresh_collections(): collection URL = collections/ + id + /; id must be in the URL.
    const collections = (await conn.get(`${apiRoot}collections/`)).collections as {
      id: string;
      title: string;
      can_read: boolean;
      can_write: boolean;
    }[];
    for (const c of collections) {
      assert.ok(c.id && c.title && c.can_read !== undefined && c.can_write !== undefined);
    }
    const own = collections.find((c) => c.title === org.name);
    assert.ok(own?.can_write);
    const collectionUrl = `${apiRoot}collections/${own.id}/`;
    assert.ok(collectionUrl.includes((await conn.get(collectionUrl)).id));

    // Collection.add_objects(): status at urljoin(collection, "../../status/<id>"), counts consistent.
    const sent = Array.from({ length: 5 }, () => indicator());
    const status = await conn.post(`${collectionUrl}objects/`, { objects: sent });
    const statusUrl = new URL(`../../status/${status.id}`, collectionUrl).href;
    const polled = await conn.get(statusUrl);
    for (const st of [status, polled]) {
      assert.equal(st.status, 'complete');
      assert.equal(st.success_count + st.pending_count + st.failure_count, st.total_count);
      assert.equal(st.successes.length, st.success_count);
    }
    // ApiRoot.get_status(): status/<id>/.
    assert.equal((await conn.get(`${apiRoot}status/${status.id}/`)).id, status.id);

    // as_pages(get_objects, per_request=2): limit, then next from the envelope until more is false.
    const pages: string[][] = [];
    let envelope = await conn.get(`${collectionUrl}objects/`, { limit: 2, 'match[type]': 'indicator' });
    pages.push((envelope.objects ?? []).map((o: { id: string }) => o.id));
    while (envelope.more === true) {
      envelope = await conn.get(`${collectionUrl}objects/`, {
        limit: 2,
        next: envelope.next,
        'match[type]': 'indicator',
      });
      pages.push((envelope.objects ?? []).map((o: { id: string }) => o.id));
    }
    assert.deepEqual(
      pages.flat(),
      sent.map((o) => o.id),
    );
    assert.equal(pages.length, 3);

    // get_manifest, get_object, object_versions, delete_object (with version filter).
    const target = sent[0]?.id as string;
    const manifest = await conn.get(`${collectionUrl}manifest/`, { 'match[id]': target });
    assert.equal(manifest.objects[0].id, target);
    const one = await conn.get(`${collectionUrl}objects/${target}/`, { 'match[version]': 'last' });
    assert.equal(one.objects[0].id, target);
    const versions = await conn.get(`${collectionUrl}objects/${target}/versions/`);
    assert.deepEqual(versions.versions, [sent[0]?.modified]);
    await conn.delete(`${collectionUrl}objects/${target}/`, { 'match[version]': String(sent[0]?.modified) });
    const after = await conn.get(`${collectionUrl}objects/`);
    assert.ok(!(after.objects as { id: string }[]).some((o) => o.id === target));
  });
});
