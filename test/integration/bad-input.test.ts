import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { ERROR_REGISTRY } from '../../src/core/errors.ts';
import {
  anonymous,
  assertError,
  makeOrg,
  memberWithToken,
  operatorAdmin,
  PASSWORD,
  snapshot,
  startWithOperator,
  trustForwardedFor,
  unique,
  uniqueEmail,
} from '../support/arrange.ts';
import { describeEachEngine } from '../support/databases.ts';
import { Client } from '../support/json-client.ts';
import type { TestServer } from '../support/server.ts';

trustForwardedFor();

describeEachEngine('bad input: coded 4xx naming the field, and nothing changes', (engine) => {
  let s: TestServer;
  before(async () => {
    s = await startWithOperator(engine);
  });
  after(async () => s.close());

  const newOrg = () => ({
    name: unique('Org'),
    kind: 'government',
    role: 'election-office',
    jurisdiction: 'US-NC',
  });

  it('rejects unknown fields (400 VALIDATION_FAILED naming them)', async () => {
    const op = await operatorAdmin(s);
    const org = await makeOrg(s);
    const admin = await memberWithToken(s, org.id, { roles: ['admin'] });
    const analyst = await memberWithToken(s, org.id);
    const before = await snapshot(s);

    assertError(await op.api.post('/api/v1/orgs', { ...newOrg(), color: 'red' }), 400, 'VALIDATION_FAILED', [
      'color',
    ]);
    assertError(
      await op.api.patch(`/api/v1/orgs/${org.id}`, { status: 'vetted', isOperator: true }),
      400,
      'VALIDATION_FAILED',
      ['isOperator'],
    );
    assertError(
      await admin.api.post(`/api/v1/orgs/${org.id}/members`, {
        email: uniqueEmail(),
        roles: ['analyst'],
        org: 'x',
      }),
      400,
      'VALIDATION_FAILED',
      ['org'],
    );
    assertError(
      await admin.api.patch(`/api/v1/members/${analyst.member.id}`, { roles: ['analyst'], orgId: org.id }),
      400,
      'VALIDATION_FAILED',
      ['orgId'],
    );
    assertError(
      await admin.api.post('/api/v1/tokens', { name: 'x', memberId: analyst.member.id }),
      400,
      'VALIDATION_FAILED',
      ['memberId'],
    );
    assertError(
      await anonymous(s).post('/api/v1/applications', {
        organization: { ...newOrg(), website: 'https://example.org' },
        applicant: { email: uniqueEmail(), displayName: 'A', password: PASSWORD },
      }),
      400,
      'VALIDATION_FAILED',
      ['organization.website'],
    );
    assertError(
      await anonymous(s).post('/api/v1/session', {
        email: analyst.email,
        password: PASSWORD,
        remember: true,
      }),
      400,
      'VALIDATION_FAILED',
      ['remember'],
    );
    assert.deepEqual(await snapshot(s), before);
  });

  it('rejects wrong types without coercion (tier "2", roles as a string, numbers for names)', async () => {
    const op = await operatorAdmin(s);
    const org = await makeOrg(s);
    const admin = await memberWithToken(s, org.id, { roles: ['admin'] });
    const analyst = await memberWithToken(s, org.id, { tier: 1 });
    const before = await snapshot(s);

    const invite = (body: Record<string, unknown>) =>
      admin.api.post(`/api/v1/orgs/${org.id}/members`, { email: uniqueEmail(), roles: ['analyst'], ...body });
    assertError(await invite({ tier: '2' }), 400, 'VALIDATION_FAILED', ['tier']);
    assertError(await invite({ tier: 3 }), 400, 'VALIDATION_FAILED', ['tier']);
    assertError(await invite({ roles: 'admin' }), 400, 'VALIDATION_FAILED', ['roles']);
    assertError(await invite({ roles: [] }), 400, 'VALIDATION_FAILED', ['roles']);
    const badRole = await invite({ roles: ['root'] });
    assertError(badRole, 400, 'VALIDATION_FAILED');
    assert.ok(
      badRole.body.fields.every((f: string) => f.startsWith('roles')),
      JSON.stringify(badRole.body),
    );
    assertError(await invite({ email: 'not-an-address' }), 400, 'VALIDATION_FAILED', ['email']);
    assertError(await invite({ displayName: 42 }), 400, 'VALIDATION_FAILED', ['displayName']);

    assertError(
      await admin.api.patch(`/api/v1/members/${analyst.member.id}`, { tier: '2' }),
      400,
      'VALIDATION_FAILED',
      ['tier'],
    );
    assertError(
      await admin.api.patch(`/api/v1/members/${analyst.member.id}`, { status: 'invited' }),
      400,
      'VALIDATION_FAILED',
      ['status'],
    );
    const empty = await admin.api.patch(`/api/v1/members/${analyst.member.id}`, {});
    assertError(empty, 400, 'VALIDATION_FAILED');

    assertError(await op.api.post('/api/v1/orgs', { ...newOrg(), name: 7 }), 400, 'VALIDATION_FAILED', [
      'name',
    ]);
    assertError(await op.api.post('/api/v1/orgs', { ...newOrg(), kind: 'club' }), 400, 'VALIDATION_FAILED', [
      'kind',
    ]);
    assertError(
      await op.api.post('/api/v1/orgs', { ...newOrg(), status: 'approved' }),
      400,
      'VALIDATION_FAILED',
      ['status'],
    );
    const missing = await op.api.post('/api/v1/orgs', { name: unique('Org') });
    assertError(missing, 400, 'VALIDATION_FAILED');
    assert.ok(missing.body.fields.length > 0);
    assertError(await op.api.get('/api/v1/orgs?status=bogus'), 400, 'VALIDATION_FAILED');

    assert.deepEqual(await snapshot(s), before);
    const me = await analyst.api.get('/api/v1/me');
    assert.equal(me.body.member.tier, 1);
  });

  it('rejects malformed JSON (MALFORMED_JSON), wrong content types (415) and oversize bodies (413)', async () => {
    const op = await operatorAdmin(s);
    const before = await snapshot(s);
    const raw = (body: string, contentType: string, path = '/api/v1/orgs') =>
      op.api.call('POST', path, body, { 'content-type': contentType });

    assertError(await raw('{"name": "x", ', 'application/json'), 400, 'MALFORMED_JSON');
    assertError(await raw("{'name': 'x'}", 'application/json'), 400, 'MALFORMED_JSON');
    assertError(await raw('', 'application/json'), 400, 'MALFORMED_JSON');
    assertError(
      await raw('name=x&kind=government&role=vendor', 'application/x-www-form-urlencoded'),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
    assertError(await raw('<org/>', 'application/xml'), 415, 'UNSUPPORTED_MEDIA_TYPE');

    const huge = JSON.stringify({ ...newOrg(), name: 'x'.repeat(s.config.bodyLimitBytes + 10) });
    assertError(await raw(huge, 'application/json'), 413, 'PAYLOAD_TOO_LARGE');
    // Even on public entry points.
    assertError(await raw(huge, 'application/json', '/api/v1/applications'), 413, 'PAYLOAD_TOO_LARGE');
    assertError(await raw('{"email":', 'application/json', '/api/v1/session'), 400, 'MALFORMED_JSON');

    assert.deepEqual(await snapshot(s), before);
  });

  it('rejects a text/plain body as the wrong content type (415 UNSUPPORTED_MEDIA_TYPE)', async () => {
    // text/plain is what a cross-site HTML form or a no-preflight fetch can send; the API takes JSON only.
    const op = await operatorAdmin(s);
    const before = await snapshot(s);
    const r = await op.api.call('POST', '/api/v1/orgs', JSON.stringify(newOrg()), {
      'content-type': 'text/plain',
    });
    assert.deepEqual(await snapshot(s), before);
    assertError(r, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('rejects unknown jurisdictions (400 INVALID_JURISDICTION naming the field)', async () => {
    const op = await operatorAdmin(s);
    const org = await makeOrg(s);
    const admin = await memberWithToken(s, org.id, { roles: ['admin'] });
    const before = await snapshot(s);
    for (const j of ['US-XX', 'XX', 'US-', 'ZZ', '12-34']) {
      assertError(
        await op.api.post('/api/v1/orgs', { ...newOrg(), jurisdiction: j }),
        400,
        'INVALID_JURISDICTION',
        ['jurisdiction'],
      );
    }
    assertError(
      await admin.api.patch(`/api/v1/orgs/${org.id}`, { jurisdiction: 'CA-XX' }),
      400,
      'INVALID_JURISDICTION',
      ['jurisdiction'],
    );
    assertError(
      await anonymous(s).post('/api/v1/applications', {
        organization: { ...newOrg(), jurisdiction: 'ZZ-ZZ' },
        applicant: { email: uniqueEmail(), displayName: 'A', password: PASSWORD },
      }),
      400,
      'INVALID_JURISDICTION',
      ['organization.jurisdiction'],
    );
    assert.deepEqual(await snapshot(s), before);
    assert.equal((await admin.api.get(`/api/v1/orgs/${org.id}`)).body.jurisdiction, 'US-NC');

    // Valid codes of other countries, in any case, are accepted and stored canonically.
    for (const [given, stored] of [
      ['ca-on', 'CA-ON'],
      ['DE-BY', 'DE-BY'],
      ['us', 'US'],
    ]) {
      const r = await op.api.post('/api/v1/orgs', { ...newOrg(), jurisdiction: given });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal(r.body.jurisdiction, stored);
    }
  });

  it('rejects a duplicate e-mail in any case or organization (409 EMAIL_TAKEN naming the field)', async () => {
    const org = await makeOrg(s);
    const other = await makeOrg(s);
    const admin = await memberWithToken(s, org.id, { roles: ['admin'] });
    const otherAdmin = await memberWithToken(s, other.id, { roles: ['admin'] });
    const taken = await memberWithToken(s, org.id);
    const before = await snapshot(s);

    assertError(
      await admin.api.post(`/api/v1/orgs/${org.id}/members`, {
        email: taken.email.toUpperCase(),
        roles: ['analyst'],
      }),
      409,
      'EMAIL_TAKEN',
      ['email'],
    );
    assertError(
      await otherAdmin.api.post(`/api/v1/orgs/${other.id}/members`, {
        email: ` ${taken.email} `,
        roles: ['analyst'],
      }),
      409,
      'EMAIL_TAKEN',
      ['email'],
    );
    assert.deepEqual(await snapshot(s), before);
  });

  it('an application with a taken e-mail creates no organization (409 EMAIL_TAKEN naming applicant.email)', async () => {
    const org = await makeOrg(s);
    const taken = await memberWithToken(s, org.id);
    const before = await snapshot(s);
    const name = unique('Would-be Org');
    const r = await anonymous(s).post('/api/v1/applications', {
      organization: { name, kind: 'private', role: 'vendor' },
      applicant: { email: taken.email, displayName: 'Dup', password: PASSWORD },
    });
    assert.equal(r.status, 409);
    assert.equal(r.body.code, 'EMAIL_TAKEN');
    // The organization written first in the same transaction is rolled back.
    assert.deepEqual(await snapshot(s), before);
    const op = await operatorAdmin(s);
    const names = (await op.api.get('/api/v1/orgs')).body.items.map((o: { name: string }) => o.name);
    assert.ok(!names.includes(name));
    // The offending input is named by its JSON path in the request (docs/api.md "Conventions").
    assert.deepEqual(r.body.fields, ['applicant.email']);
  });

  it('an application with a taken organization name is 409 ORG_NAME_TAKEN naming organization.name', async () => {
    const org = await makeOrg(s);
    const before = await snapshot(s);
    const r = await anonymous(s).post('/api/v1/applications', {
      organization: { name: org.name, kind: 'government', role: 'election-office' },
      applicant: { email: uniqueEmail(), displayName: 'Dup', password: PASSWORD },
    });
    assert.equal(r.status, 409);
    assert.equal(r.body.code, 'ORG_NAME_TAKEN');
    assert.deepEqual(await snapshot(s), before);
    assert.deepEqual(r.body.fields, ['organization.name']);
  });

  it('rejects weak passwords (400 WEAK_PASSWORD naming the field) and never echoes secrets', async () => {
    const before = await snapshot(s);
    const secret = 'hunter2!';
    const r = await anonymous(s).post('/api/v1/applications', {
      organization: { ...newOrg() },
      applicant: { email: uniqueEmail(), displayName: 'Weak', password: secret },
    });
    assertError(r, 400, 'WEAK_PASSWORD', ['applicant.password']);
    assert.ok(!JSON.stringify(r.body).includes(secret));

    const org = await makeOrg(s);
    const person = await memberWithToken(s, org.id);
    const before2 = await snapshot(s);
    const wrongSecret = 'a very wrong password indeed';
    const signIn = await anonymous(s).post('/api/v1/session', {
      email: person.email,
      password: wrongSecret,
    });
    assertError(signIn, 401, 'INVALID_CREDENTIALS');
    assert.ok(!JSON.stringify(signIn.body).includes(wrongSecret));
    const malformed = await anonymous(s).call('POST', '/api/v1/session', `{"password":"${wrongSecret}",`, {
      'content-type': 'application/json',
    });
    assertError(malformed, 400, 'MALFORMED_JSON');
    assert.ok(!JSON.stringify(malformed.body).includes(wrongSecret));
    const badToken = `tbl_${'Z'.repeat(43)}`;
    const tokenReply = await new Client(s.url).withToken(badToken).get('/api/v1/me');
    assertError(tokenReply, 401, 'TOKEN_INVALID');
    assert.ok(!JSON.stringify(tokenReply.body).includes(badToken));
    // A failed sign-in is recorded as an audit event and counts towards lockout; nothing else changes.
    const after = await snapshot(s);
    for (const table of ['organizations', 'members', 'sessions', 'api_tokens', 'invitations']) {
      assert.equal(after[table], before2[table], table);
    }
    assert.equal(before2.organizations, (before.organizations ?? 0) + 1);
  });

  it('answers every garbage body on every write endpoint with a coded 4xx, never a 5xx', async () => {
    const org = await makeOrg(s);
    const admin = await memberWithToken(s, org.id, { roles: ['admin'] });
    const analyst = await memberWithToken(s, org.id);
    const anon = anonymous(s);
    const garbage: unknown[] = [
      'null',
      '[]',
      '"text"',
      '12',
      'true',
      { __proto__: { admin: true } },
      JSON.parse('{"__proto__": {"polluted": 1}, "constructor": {"prototype": {"x": 1}}}'),
      { a: { b: { c: { d: { e: { f: [[[[[]]]]] } } } } } },
      { name: '\u0000\u0007', kind: 'government', role: 'vendor' },
      { email: 'a@b.c'.repeat(100), roles: ['analyst'] },
    ];
    const endpoints: [Client, string, string][] = [
      [admin.api, 'POST', '/api/v1/orgs'],
      [admin.api, 'PATCH', `/api/v1/orgs/${org.id}`],
      [admin.api, 'POST', `/api/v1/orgs/${org.id}/members`],
      [admin.api, 'PATCH', `/api/v1/members/${analyst.member.id}`],
      [admin.api, 'POST', '/api/v1/tokens'],
      [anon, 'POST', '/api/v1/applications'],
      [anon, 'POST', '/api/v1/setup'],
      [anon, 'POST', '/api/v1/session'],
      [anon, 'POST', '/api/v1/invitations/not-a-real-invitation'],
    ];
    const before = await snapshot(s);
    for (const [client, method, path] of endpoints) {
      for (const body of garbage) {
        const r = await client.call(method, path, body, { 'content-type': 'application/json' });
        assert.ok(
          r.status >= 400 && r.status < 500,
          `${method} ${path} ${JSON.stringify(body)} → ${r.status}`,
        );
        assert.ok(Object.hasOwn(ERROR_REGISTRY, r.body.code), JSON.stringify(r.body));
        assert.equal(r.body.statusCode, r.status);
      }
    }
    assert.deepEqual(await snapshot(s), before);
    assert.equal((await analyst.api.get('/api/v1/me')).status, 200);
  });

  it('treats NUL characters in ids and e-mails as bad input on every engine (4xx, never a 500)', async () => {
    const org = await makeOrg(s);
    const admin = await memberWithToken(s, org.id, { roles: ['admin'] });
    const before = await snapshot(s);
    for (const [method, path] of [
      ['GET', '/api/v1/members/%00'],
      ['GET', '/api/v1/orgs/org_%00'],
      ['GET', '/api/v1/orgs/%00/members'],
      ['PATCH', '/api/v1/members/mbr_%00'],
      ['DELETE', '/api/v1/tokens/tok_%00'],
    ] as const) {
      const r = await admin.api.call(method, path, method === 'PATCH' ? { displayName: 'x' } : undefined);
      assert.ok(
        r.status >= 400 && r.status < 500,
        `${method} ${path} → ${r.status} ${JSON.stringify(r.body)}`,
      );
    }
    const signIn = await anonymous(s).post('/api/v1/session', {
      email: 'nul\u0000byte@example.org',
      password: PASSWORD,
    });
    assert.ok(signIn.status >= 400 && signIn.status < 500, `sign-in → ${signIn.status}`);
    const invite = await admin.api.post(`/api/v1/orgs/${org.id}/members`, {
      email: 'nul\u0000byte@example.org',
      displayName: 'Nul Byte',
      roles: ['analyst'],
    });
    assert.ok(invite.status >= 400 && invite.status < 500, `invite → ${invite.status}`);
    assert.deepEqual(await snapshot(s), before);
  });

  it('answers odd URLs with codes from the one registry (long ids, broken percent-encoding)', async () => {
    const org = await makeOrg(s);
    const admin = await memberWithToken(s, org.id, { roles: ['admin'] });
    const before = await snapshot(s);
    for (const [method, path] of [
      ['GET', `/api/v1/orgs/${'x'.repeat(500)}`],
      ['GET', `/api/v1/members/${'m'.repeat(101)}`],
      ['DELETE', `/api/v1/tokens/${'y'.repeat(101)}`],
      ['GET', '/api/v1/orgs/%E0%A4%A'],
    ] as const) {
      const r = await admin.api.call(method, path);
      assert.ok(r.status >= 400 && r.status < 500, `${method} ${path} → ${r.status}`);
      assert.ok(Object.hasOwn(ERROR_REGISTRY, r.body.code), `${method} ${path}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.statusCode, r.status);
    }
    assert.deepEqual(await snapshot(s), before);
    assertError(await admin.api.get('/api/v1/no-such-thing'), 404, 'NOT_FOUND');
  });
});
