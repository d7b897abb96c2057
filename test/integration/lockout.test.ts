import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import {
  assertError,
  auditMark,
  makeOrg,
  memberWithPassword,
  PASSWORD,
  startWithOperator,
  uniqueEmail,
} from '../support/arrange.ts';
import { describeEachEngine } from '../support/databases.ts';
import { Client } from '../support/json-client.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const WRONG = 'this is not the password';

describeEachEngine('sign-in lockout with back-off', (engine) => {
  let s: TestServer;
  before(async () => {
    s = await startWithOperator(engine);
  });
  after(async () => s.close());

  const attempt = (email: string, password: string) =>
    new Client(s.url).post('/api/v1/session', { email, password });

  it('locks after 5 failures (429 ACCOUNT_LOCKED with Retry-After, even with the right password) until the lock ends', async () => {
    const org = await makeOrg(s);
    const person = await memberWithPassword(s, org.id);
    const bystander = await memberWithPassword(s, org.id);
    const since = await auditMark(s);
    for (let i = 1; i <= 5; i++) assertError(await attempt(person.email, WRONG), 401, 'INVALID_CREDENTIALS');

    const locked = await attempt(person.email, PASSWORD);
    assertError(locked, 429, 'ACCOUNT_LOCKED');
    assert.equal(locked.headers.get('retry-after'), '30');
    assert.equal(locked.headers.get('set-cookie'), null);
    // A wrong password while locked says the same, and does not reveal whether it was right.
    assertError(await attempt(person.email, WRONG), 429, 'ACCOUNT_LOCKED');
    // Other members are unaffected.
    assert.equal((await attempt(bystander.email, PASSWORD)).status, 200);

    const events = await since();
    assert.equal(
      events.filter((e) => e.action === 'session.fail' && e.subject_id === person.member.id).length,
      4,
    );
    assert.equal(
      events.filter((e) => e.action === 'member.lockout' && e.subject_id === person.member.id).length,
      1,
    );

    s.clock.advance(29_000);
    const still = await attempt(person.email, PASSWORD);
    assertError(still, 429, 'ACCOUNT_LOCKED');
    assert.equal(still.headers.get('retry-after'), '1');
    s.clock.advance(1_500);
    const ok = await attempt(person.email, PASSWORD);
    assert.equal(ok.status, 200);
    assert.equal(ok.body.member.id, person.member.id);

    // Success resets the count: four new failures do not lock.
    for (let i = 1; i <= 4; i++) assertError(await attempt(person.email, WRONG), 401, 'INVALID_CREDENTIALS');
    assert.equal((await attempt(person.email, PASSWORD)).status, 200);
  });

  it('backs off: each failure after the lock ends doubles the next lock', async () => {
    const org = await makeOrg(s);
    const person = await memberWithPassword(s, org.id);
    for (let i = 1; i <= 5; i++) await attempt(person.email, WRONG);
    assert.equal((await attempt(person.email, PASSWORD)).headers.get('retry-after'), '30');
    s.clock.advance(31_000);

    assertError(await attempt(person.email, WRONG), 401, 'INVALID_CREDENTIALS');
    const second = await attempt(person.email, PASSWORD);
    assertError(second, 429, 'ACCOUNT_LOCKED');
    assert.equal(second.headers.get('retry-after'), '60');
    s.clock.advance(31_000);
    assertError(await attempt(person.email, PASSWORD), 429, 'ACCOUNT_LOCKED');
    s.clock.advance(30_000);

    assertError(await attempt(person.email, WRONG), 401, 'INVALID_CREDENTIALS');
    const third = await attempt(person.email, PASSWORD);
    assertError(third, 429, 'ACCOUNT_LOCKED');
    assert.equal(third.headers.get('retry-after'), '120');
    s.clock.advance(120_000);
    assert.equal((await attempt(person.email, PASSWORD)).status, 200);
  });

  it('unknown e-mails are refused like wrong passwords and never lock anything', async () => {
    const email = uniqueEmail('ghost');
    for (let i = 1; i <= 6; i++) assertError(await attempt(email, WRONG), 401, 'INVALID_CREDENTIALS');
  });
});

describeEachEngine('sign-in rate limit', (engine) => {
  it('limits sign-in attempts per client (429 RATE_LIMITED with Retry-After)', async () => {
    // A server of its own, started after the one above has closed.
    const limited = await startTestServer(engine, { TABELLA_SIGNIN_RATE_LIMIT: '3' });
    try {
      const c = new Client(limited.url);
      for (let i = 1; i <= 3; i++) {
        assertError(
          await c.post('/api/v1/session', { email: uniqueEmail(), password: WRONG }),
          401,
          'INVALID_CREDENTIALS',
        );
      }
      const r = await c.post('/api/v1/session', { email: uniqueEmail(), password: WRONG });
      assertError(r, 429, 'RATE_LIMITED');
      assert.match(r.headers.get('retry-after') ?? '', /^\d+$/);
      assert.ok(Number(r.headers.get('retry-after')) > 0);
      // Other endpoints are not limited by it.
      assert.equal((await c.get('/healthz')).status, 200);
      assert.equal((await c.get('/api/v1/setup')).status, 200);
    } finally {
      await limited.close();
    }
  });
});
