import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, it } from 'node:test';
import { makeOrg, memberWithToken, snapshot, startWithOperator } from '../support/arrange.ts';
import { describeEachEngine } from '../support/databases.ts';
import { Client } from '../support/json-client.ts';
import type { TestServer } from '../support/server.ts';

describeEachEngine('API tokens', (engine) => {
  let s: TestServer;
  before(async () => {
    s = await startWithOperator(engine);
  });
  after(async () => s.close());

  it('creates a token shown once, stored only as its SHA-256 digest, listed without the secret', async () => {
    const org = await makeOrg(s);
    const alice = await memberWithToken(s, org.id);
    const created = await alice.api.post('/api/v1/tokens', { name: 'TAXII collector' });
    assert.equal(created.status, 201);
    assert.match(created.body.token, /^tbl_[A-Za-z0-9_-]{43}$/);
    assert.equal(created.body.name, 'TAXII collector');
    assert.equal(created.body.memberId, alice.member.id);
    assert.equal(created.body.lastUsedAt, null);
    assert.equal(created.body.revokedAt, null);
    assert.equal(created.body.prefix, created.body.token.slice(0, created.body.prefix.length));

    const row = await s.db.kysely
      .selectFrom('api_tokens')
      .selectAll()
      .where('id', '=', created.body.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.token_hash, createHash('sha256').update(created.body.token).digest('hex'));
    assert.ok(!Object.values(row).includes(created.body.token), 'the secret itself is never stored');

    const list = await alice.api.get('/api/v1/tokens');
    assert.equal(list.status, 200);
    const listed = list.body.items.find((t: { id: string }) => t.id === created.body.id);
    assert.ok(listed);
    assert.equal(listed.token, undefined);
    assert.ok(!JSON.stringify(list.body).includes(created.body.token));
  });

  it('accepts a token as Bearer and as HTTP Basic <email>:<token>; a wrong e-mail is 401 TOKEN_INVALID', async () => {
    const org = await makeOrg(s);
    const alice = await memberWithToken(s, org.id);
    const bob = await memberWithToken(s, org.id);

    const bearer = await alice.api.get('/api/v1/me');
    assert.equal(bearer.status, 200);
    assert.equal(bearer.body.authenticatedBy, 'token');
    assert.equal(bearer.body.member.id, alice.member.id);
    assert.equal(bearer.body.organization.id, org.id);

    const basic = await new Client(s.url).withBasic(alice.email, alice.token).get('/api/v1/me');
    assert.equal(basic.status, 200);
    assert.equal(basic.body.member.id, alice.member.id);
    assert.equal(basic.body.authenticatedBy, 'token');

    // E-mail comparison ignores case, as addresses are stored lower-cased.
    const upper = await new Client(s.url).withBasic(alice.email.toUpperCase(), alice.token).get('/api/v1/me');
    assert.equal(upper.status, 200);

    // Another member's address with Alice's token: refused, and nothing about Bob is revealed.
    const wrongEmail = await new Client(s.url).withBasic(bob.email, alice.token).get('/api/v1/me');
    assert.equal(wrongEmail.status, 401);
    assert.equal(wrongEmail.body.code, 'TOKEN_INVALID');
    assert.match(wrongEmail.headers.get('www-authenticate') ?? '', /Basic/);
    const unknownEmail = await new Client(s.url)
      .withBasic('nobody@example.org', alice.token)
      .get('/api/v1/me');
    assert.equal(unknownEmail.status, 401);
    assert.equal(unknownEmail.body.code, 'TOKEN_INVALID');
  });

  it('refuses unknown, malformed and missing credentials with coded 401s', async () => {
    const anon = new Client(s.url);
    const none = await anon.get('/api/v1/me');
    assert.equal(none.status, 401);
    assert.equal(none.body.code, 'UNAUTHENTICATED');

    const unknown = await anon.withToken(`tbl_${'A'.repeat(43)}`).get('/api/v1/me');
    assert.equal(unknown.status, 401);
    assert.equal(unknown.body.code, 'TOKEN_INVALID');

    const malformed = await anon.withToken('not-a-token').get('/api/v1/orgs');
    assert.equal(malformed.status, 401);
    assert.equal(malformed.body.code, 'TOKEN_INVALID');

    const noColon = await anon.call('GET', '/api/v1/me', undefined, {
      authorization: `Basic ${Buffer.from('just-a-string').toString('base64')}`,
    });
    assert.equal(noColon.status, 401);
    assert.equal(noColon.body.code, 'TOKEN_INVALID');

    const scheme = await anon.call('GET', '/api/v1/me', undefined, { authorization: 'Digest abc' });
    assert.equal(scheme.status, 401);
    assert.equal(scheme.body.code, 'UNAUTHENTICATED');

    // Authentication comes before the body: an anonymous write with garbage is a 401, not a 400.
    const anonWrite = await anon.call('POST', '/api/v1/orgs', '{"name":', {
      'content-type': 'application/json',
    });
    assert.equal(anonWrite.status, 401);
    assert.equal(anonWrite.body.code, 'UNAUTHENTICATED');
  });

  it('a revoked token stops working at once (401 TOKEN_INVALID), and revoking twice is harmless', async () => {
    const org = await makeOrg(s);
    const alice = await memberWithToken(s, org.id);
    const second = await alice.api.post('/api/v1/tokens', { name: 'sensor' });
    assert.equal(second.status, 201);
    const sensor = new Client(s.url).withToken(second.body.token);
    assert.equal((await sensor.get('/api/v1/me')).status, 200);

    const revoked = await alice.api.delete(`/api/v1/tokens/${second.body.id}`);
    assert.equal(revoked.status, 204);
    const after = await sensor.get('/api/v1/me');
    assert.equal(after.status, 401);
    assert.equal(after.body.code, 'TOKEN_INVALID');
    const afterBasic = await new Client(s.url).withBasic(alice.email, second.body.token).get('/api/v1/me');
    assert.equal(afterBasic.status, 401);
    assert.equal(afterBasic.body.code, 'TOKEN_INVALID');
    // Its write attempts are refused as well.
    const write = await sensor.post('/api/v1/tokens', { name: 'sneaky' });
    assert.equal(write.status, 401);
    assert.equal(write.body.code, 'TOKEN_INVALID');

    const listed = (await alice.api.get('/api/v1/tokens')).body.items.find(
      (t: { id: string }) => t.id === second.body.id,
    );
    assert.equal(listed.revokedAt, new Date(s.clock.now()).toISOString());

    // Revoking again changes nothing; the other token keeps working.
    const before = await snapshot(s);
    assert.equal((await alice.api.delete(`/api/v1/tokens/${second.body.id}`)).status, 204);
    assert.deepEqual(await snapshot(s), before);
    assert.equal((await alice.api.get('/api/v1/me')).status, 200);

    // A token can revoke itself, and then it is dead too.
    const self = await alice.api.get('/api/v1/tokens');
    const own = self.body.items.find((t: { revokedAt: string | null; id: string }) => t.revokedAt === null);
    assert.equal((await alice.api.delete(`/api/v1/tokens/${own.id}`)).status, 204);
    const dead = await alice.api.get('/api/v1/me');
    assert.equal(dead.status, 401);
    assert.equal(dead.body.code, 'TOKEN_INVALID');
  });

  it("nobody sees or revokes another member's tokens (404 NOT_FOUND, token keeps working)", async () => {
    const org = await makeOrg(s);
    const alice = await memberWithToken(s, org.id, { roles: ['admin'] });
    const bob = await memberWithToken(s, org.id);
    const bobsTokens = await bob.api.get('/api/v1/tokens');
    const bobsId = bobsTokens.body.items[0].id as string;

    const aliceList = await alice.api.get('/api/v1/tokens');
    assert.ok(!aliceList.body.items.some((t: { id: string }) => t.id === bobsId));

    const before = await snapshot(s);
    // Even an administrator of the same organization cannot revoke it.
    const attempt = await alice.api.delete(`/api/v1/tokens/${bobsId}`);
    assert.equal(attempt.status, 404);
    assert.equal(attempt.body.code, 'NOT_FOUND');
    const missing = await alice.api.delete('/api/v1/tokens/tok_00000000-0000-4000-8000-000000000000');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.code, 'NOT_FOUND');
    assert.deepEqual(await snapshot(s), before);
    assert.equal((await bob.api.get('/api/v1/me')).status, 200);
  });

  it('records the last-used time when a token is used', async () => {
    const org = await makeOrg(s);
    const alice = await memberWithToken(s, org.id);
    const created = await alice.api.post('/api/v1/tokens', { name: 'siem' });
    const id = created.body.id as string;
    const lastUsed = async () =>
      (await alice.api.get('/api/v1/tokens')).body.items.find((t: { id: string }) => t.id === id).lastUsedAt;
    assert.equal(await lastUsed(), null);

    s.clock.advance(5_000);
    const firstUse = new Date(s.clock.now()).toISOString();
    assert.equal((await new Client(s.url).withToken(created.body.token).get('/api/v1/me')).status, 200);
    assert.equal(await lastUsed(), firstUse);

    s.clock.advance(10 * 60_000);
    const laterUse = new Date(s.clock.now()).toISOString();
    assert.equal(
      (await new Client(s.url).withBasic(alice.email, created.body.token).get('/api/v1/me')).status,
      200,
    );
    assert.equal(await lastUsed(), laterUse);
  });

  it('refuses a bad token name with a coded 400 naming the field, creating nothing', async () => {
    const org = await makeOrg(s);
    const alice = await memberWithToken(s, org.id);
    const before = await snapshot(s);
    for (const body of [
      {},
      { name: '' },
      { name: 42 },
      { name: 'x', scope: 'all' },
      { name: 'x'.repeat(101) },
    ]) {
      const r = await alice.api.post('/api/v1/tokens', body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.body.code, 'VALIDATION_FAILED');
      assert.ok(Array.isArray(r.body.fields) && r.body.fields.length > 0, JSON.stringify(r.body));
    }
    const blank = await alice.api.post('/api/v1/tokens', { name: '   ' });
    assert.equal(blank.status, 400);
    assert.equal(blank.body.code, 'VALIDATION_FAILED');
    assert.deepEqual(blank.body.fields, ['name']);
    assert.deepEqual(await snapshot(s), before);
  });
});
