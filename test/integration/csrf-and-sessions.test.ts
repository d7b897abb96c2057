import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import {
  assertError,
  countRows,
  makeOrg,
  makeToken,
  memberWithPassword,
  PASSWORD,
  signedIn,
  startWithOperator,
} from '../support/arrange.ts';
import { describeEachEngine } from '../support/databases.ts';
import { Client } from '../support/json-client.ts';
import type { TestServer } from '../support/server.ts';

const NEW_PASSWORD = 'a brand new passphrase for tabella';

describeEachEngine('sessions and CSRF', (engine) => {
  let s: TestServer;
  before(async () => {
    s = await startWithOperator(engine);
  });
  after(async () => s.close());

  /** The same browser, holding the session cookie but replaying an old/absent CSRF token. */
  const replay = (cookie: string | undefined) => {
    const c = new Client(s.url);
    c.cookie = cookie;
    return c;
  };

  it('signs in with an HttpOnly, SameSite=Strict cookie and a CSRF token; GET /session shows it', async () => {
    const org = await makeOrg(s);
    const person = await memberWithPassword(s, org.id);
    const c = new Client(s.url);
    const r = await c.post('/api/v1/session', { email: person.email.toUpperCase(), password: PASSWORD });
    assert.equal(r.status, 200);
    const cookie = r.headers.get('set-cookie') ?? '';
    assert.match(cookie, /^tabella_session=/);
    assert.match(cookie, /HttpOnly/i);
    assert.match(cookie, /SameSite=Strict/i);
    assert.match(cookie, /Path=\//i);
    assert.equal(typeof r.body.csrfToken, 'string');
    assert.ok(r.body.csrfToken.length >= 32);
    assert.equal(r.body.mfaEnrollmentRequired, false);
    const session = await c.get('/api/v1/session');
    assert.equal(session.status, 200);
    assert.equal(session.body.csrfToken, r.body.csrfToken);
    assert.equal(session.body.member.id, person.member.id);
    const me = await c.get('/api/v1/me');
    assert.equal(me.body.authenticatedBy, 'session');
    // The cookie value is not what the database stores.
    const value = (c.cookie ?? '').split('=')[1] ?? '';
    const stored = await s.db.kysely
      .selectFrom('sessions')
      .select('id')
      .where('id', '=', value)
      .executeTakeFirst();
    assert.equal(stored, undefined);
  });

  it('refuses cookie writes without, or with a wrong, X-CSRF-Token, or from a foreign Origin (403 CSRF_FAILED)', async () => {
    const org = await makeOrg(s);
    const person = await memberWithPassword(s, org.id);
    const c = await signedIn(s, person.email);
    const tokens = await countRows(s, 'api_tokens');

    assertError(await c.withoutCsrf().post('/api/v1/tokens', { name: 'no csrf' }), 403, 'CSRF_FAILED');
    assertError(
      await c.call('POST', '/api/v1/tokens', { name: 'wrong csrf' }, { 'x-csrf-token': 'not-the-token' }),
      403,
      'CSRF_FAILED',
    );
    assertError(
      await c.call('POST', '/api/v1/tokens', { name: 'foreign origin' }, { origin: 'https://evil.example' }),
      403,
      'CSRF_FAILED',
    );
    assertError(
      await c.call('POST', '/api/v1/tokens', { name: 'bad origin' }, { origin: 'not a url' }),
      403,
      'CSRF_FAILED',
    );
    // Every cookie-authenticated write is covered, sign-out included.
    assertError(await c.withoutCsrf().delete('/api/v1/session'), 403, 'CSRF_FAILED');
    assertError(await c.withoutCsrf().delete('/api/v1/sessions'), 403, 'CSRF_FAILED');
    assertError(
      await c
        .withoutCsrf()
        .post('/api/v1/me/password', { currentPassword: PASSWORD, newPassword: NEW_PASSWORD }),
      403,
      'CSRF_FAILED',
    );
    assert.equal(await countRows(s, 'api_tokens'), tokens);
    assert.equal((await c.get('/api/v1/me')).status, 200, 'the session survives refused writes');

    const ok = await c.call(
      'POST',
      '/api/v1/tokens',
      { name: 'same origin' },
      { origin: new URL(s.url).origin },
    );
    assert.equal(ok.status, 201);
    assert.equal(await countRows(s, 'api_tokens'), tokens + 1);
  });

  it('refuses a sign-in or application posted from a foreign Origin (login CSRF)', async () => {
    const org = await makeOrg(s);
    const person = await memberWithPassword(s, org.id);
    const sessions = await countRows(s, 'sessions');
    const r = await new Client(s.url).call(
      'POST',
      '/api/v1/session',
      { email: person.email, password: PASSWORD },
      { origin: 'https://evil.example' },
    );
    assertError(r, 403, 'CSRF_FAILED');
    assert.equal(r.headers.get('set-cookie'), null);
    assert.equal(await countRows(s, 'sessions'), sessions);
  });

  it('Bearer-authenticated writes need no CSRF token', async () => {
    const org = await makeOrg(s);
    const person = await memberWithPassword(s, org.id);
    const api = new Client(s.url).withToken(await makeToken(s, person.member.id));
    assert.equal((await api.post('/api/v1/tokens', { name: 'machine' })).status, 201);
    // …but session-only endpoints do not take tokens.
    assertError(
      await api.post('/api/v1/me/password', { currentPassword: PASSWORD, newPassword: NEW_PASSWORD }),
      401,
      'UNAUTHENTICATED',
    );
    assertError(await api.post('/api/v1/me/mfa'), 401, 'UNAUTHENTICATED');
  });

  it('expires an idle session (401 SESSION_EXPIRED); activity slides the expiry; 7 days is the most', async () => {
    const org = await makeOrg(s);
    const person = await memberWithPassword(s, org.id);
    const ttl = s.config.sessionTtlMs;

    const idle = await signedIn(s, person.email);
    const active = await signedIn(s, person.email);
    s.clock.advance(ttl - 60_000);
    assert.equal((await active.get('/api/v1/me')).status, 200);
    s.clock.advance(61_000);
    assertError(await idle.get('/api/v1/me'), 401, 'SESSION_EXPIRED');
    assertError(await idle.post('/api/v1/tokens', { name: 'late' }), 401, 'SESSION_EXPIRED');
    assert.equal((await active.get('/api/v1/me')).status, 200, 'activity kept this one alive');

    // Kept busy, a session still ends 7 days after sign-in.
    const started = s.clock.now() - ttl - 1_000;
    const week = 7 * 24 * 3600 * 1000;
    while (s.clock.now() + ttl / 2 < started + week) {
      s.clock.advance(ttl / 2);
      assert.equal((await active.get('/api/v1/me')).status, 200);
    }
    s.clock.advance(ttl / 2);
    assertError(await active.get('/api/v1/me'), 401, 'SESSION_EXPIRED');
  });

  it('signs out this browser only; the old cookie is dead (401 SESSION_EXPIRED)', async () => {
    const org = await makeOrg(s);
    const person = await memberWithPassword(s, org.id);
    const a = await signedIn(s, person.email);
    const b = await signedIn(s, person.email);
    const oldCookie = a.cookie;
    const out = await a.delete('/api/v1/session');
    assert.equal(out.status, 204);
    assert.match(out.headers.get('set-cookie') ?? '', /tabella_session=;/);
    assertError(await replay(oldCookie).get('/api/v1/me'), 401, 'SESSION_EXPIRED');
    assert.equal((await b.get('/api/v1/me')).status, 200);
  });

  it('signs out everywhere: every session ends, API tokens keep working', async () => {
    const org = await makeOrg(s);
    const person = await memberWithPassword(s, org.id);
    const a = await signedIn(s, person.email);
    const b = await signedIn(s, person.email);
    const token = new Client(s.url).withToken(await makeToken(s, person.member.id));
    const aCookie = a.cookie;
    assert.equal((await a.delete('/api/v1/sessions')).status, 204);
    assertError(await replay(aCookie).get('/api/v1/me'), 401, 'SESSION_EXPIRED');
    assertError(await b.get('/api/v1/me'), 401, 'SESSION_EXPIRED');
    assert.equal((await token.get('/api/v1/me')).status, 200);

    // A token can sign its member out of every browser too (a stolen laptop).
    const c = await signedIn(s, person.email);
    assert.equal((await token.delete('/api/v1/sessions')).status, 204);
    assertError(await c.get('/api/v1/me'), 401, 'SESSION_EXPIRED');
  });

  it('a password change ends the other sessions and keeps this one', async () => {
    const org = await makeOrg(s);
    const person = await memberWithPassword(s, org.id);
    const a = await signedIn(s, person.email);
    const b = await signedIn(s, person.email);

    const wrong = await a.post('/api/v1/me/password', {
      currentPassword: 'not my password!!',
      newPassword: NEW_PASSWORD,
    });
    assertError(wrong, 401, 'INVALID_CREDENTIALS', ['currentPassword']);
    assertError(
      await a.post('/api/v1/me/password', { currentPassword: PASSWORD, newPassword: 'short' }),
      400,
      'WEAK_PASSWORD',
      ['newPassword'],
    );
    assert.equal((await b.get('/api/v1/me')).status, 200, 'refused changes end nothing');

    assert.equal(
      (await a.post('/api/v1/me/password', { currentPassword: PASSWORD, newPassword: NEW_PASSWORD })).status,
      204,
    );
    assert.equal((await a.get('/api/v1/me')).status, 200);
    assertError(await b.get('/api/v1/me'), 401, 'SESSION_EXPIRED');
    assertError(
      await new Client(s.url).post('/api/v1/session', { email: person.email, password: PASSWORD }),
      401,
      'INVALID_CREDENTIALS',
    );
    assert.equal(
      (await signedIn(s, person.email, NEW_PASSWORD).then((c) => c.get('/api/v1/me'))).status,
      200,
    );
  });
});
