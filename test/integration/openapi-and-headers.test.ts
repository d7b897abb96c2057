import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachEngine } from '../support/databases.ts';
import { Client } from '../support/json-client.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

function assertSecurityHeaders(h: Headers, what: string): void {
  const csp = h.get('content-security-policy') ?? '';
  assert.match(csp, /default-src 'self'/, `${what}: CSP`);
  const framing =
    /frame-ancestors 'none'/.test(csp) || /^(DENY|SAMEORIGIN)$/i.test(h.get('x-frame-options') ?? '');
  assert.ok(framing, `${what}: framing is forbidden`);
  assert.equal(h.get('x-content-type-options'), 'nosniff', `${what}: nosniff`);
  assert.ok(h.get('referrer-policy'), `${what}: referrer-policy`);
  assert.equal(h.get('x-powered-by'), null, `${what}: no x-powered-by`);
}

describeEachEngine('OpenAPI, docs and security headers', (engine) => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer(engine);
  });
  after(async () => s.close());

  it('serves an OpenAPI 3.1 document listing every membership path', async () => {
    const r = await new Client(s.url).get('/api/openapi.json');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /application\/json/);
    assert.match(r.body.openapi, /^3\.1/);
    const paths = Object.keys(r.body.paths);
    for (const [path, methods] of Object.entries({
      '/api/v1/setup': ['get', 'post'],
      '/api/v1/applications': ['post'],
      '/api/v1/session': ['get', 'post', 'delete'],
      '/api/v1/sessions': ['delete'],
      '/api/v1/me': ['get'],
      '/api/v1/me/mfa': ['post', 'delete'],
      '/api/v1/me/mfa/confirm': ['post'],
      '/api/v1/me/password': ['post'],
      '/api/v1/me/recovery-codes': ['get', 'post'],
      '/api/v1/members/{id}/reset': ['post'],
      '/api/v1/resets/{token}': ['get', 'post'],
      '/api/v1/orgs': ['get', 'post'],
      '/api/v1/orgs/{id}': ['get', 'patch'],
      '/api/v1/orgs/{id}/members': ['get', 'post'],
      '/api/v1/members/{id}': ['get', 'patch'],
      '/api/v1/members/{id}/invitation': ['post', 'delete'],
      '/api/v1/orgs/{id}/rename/approve': ['post'],
      '/api/v1/orgs/{id}/rename/reject': ['post'],
      '/api/v1/exports/stix': ['get'],
      '/api/v1/exports/csv': ['get'],
      '/api/v1/exports/blocklist': ['get'],
      '/api/v1/invitations/{token}': ['get', 'post'],
      '/api/v1/tokens': ['get', 'post'],
      '/api/v1/tokens/{id}': ['delete'],
    })) {
      assert.ok(paths.includes(path), `${path} missing from ${paths.join(', ')}`);
      for (const m of methods) assert.ok(r.body.paths[path][m], `${m.toUpperCase()} ${path} missing`);
    }
    const schemes = Object.keys(r.body.components?.securitySchemes ?? {});
    assert.ok(schemes.includes('bearer') && schemes.includes('basic'), schemes.join(', '));
    // Request bodies are described with their closed schemas.
    const invite =
      r.body.paths['/api/v1/orgs/{id}/members'].post.requestBody.content['application/json'].schema;
    assert.equal(invite.additionalProperties, false);
    // Issue 11: the setup code, and a token's scopes and expiry, are documented request fields.
    const body = (path: string) => r.body.paths[path].post.requestBody.content['application/json'].schema;
    assert.ok(body('/api/v1/setup').required.includes('setupCode'));
    assert.ok(body('/api/v1/tokens').properties.scopes, 'scopes');
    assert.ok(body('/api/v1/tokens').properties.expiresAt, 'expiresAt');
    assert.match(r.body.paths['/api/v1/members/{id}/invitation'].post.description, /\badmin\b/);
  });

  it('serves browsable API docs as HTML at /api/docs', async () => {
    const res = await fetch(`${s.url}/api/docs`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await res.text(), /<html/i);
  });

  it('sends security headers on API answers, errors, docs and the health check', async () => {
    const c = new Client(s.url);
    const health = await c.get('/healthz');
    assert.deepEqual(health.body, { status: 'ok' });
    assertSecurityHeaders(health.headers, '/healthz');
    assertSecurityHeaders((await c.get('/api/v1/setup')).headers, '/api/v1/setup');
    assertSecurityHeaders((await c.get('/api/v1/me')).headers, '401 /api/v1/me');
    assertSecurityHeaders((await c.get('/api/v1/nothing-here')).headers, '404');
    assertSecurityHeaders((await c.get('/api/openapi.json')).headers, '/api/openapi.json');
    const docs = await fetch(`${s.url}/api/docs`);
    assertSecurityHeaders(docs.headers, '/api/docs');
  });

  it('answers JSON errors with the coded shape on unknown API paths and methods', async () => {
    const c = new Client(s.url);
    for (const [method, path] of [
      ['GET', '/api/v1/unknown'],
      ['PUT', '/api/v1/orgs'],
      ['GET', '/log/nothing-here'],
    ] as const) {
      const r = await c.call(method, path);
      assert.ok(r.status === 404 || r.status === 405, `${method} ${path} → ${r.status}`);
      assert.match(r.headers.get('content-type') ?? '', /application\/json/);
      assert.ok(['NOT_FOUND', 'METHOD_NOT_ALLOWED'].includes(r.body.code), JSON.stringify(r.body));
    }
  });
});
