// Issue 10 §1: sign-in protections under parallel requests. Every wave below is fired at once, so
// on the code before the fix (read the count, then write old + 1; read the TOTP step, then write
// it) the requests all read the same state and all get through.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { openDatabase } from '../../src/db/index.ts';
import {
  clearAccountFailures,
  LOCKOUT_THRESHOLD,
  reserveAccountAttempt,
} from '../../src/features/membership/account-lock.ts';
import { buildApp } from '../../src/server/app.ts';
import {
  type AuditRow,
  assertError,
  auditMark,
  makeOrg,
  memberWithPassword,
  PASSWORD,
  signedIn,
  startWithOperator,
  trustForwardedFor,
  uniqueEmail,
} from '../support/arrange.ts';
import type { Reply } from '../support/client.ts';
import { describeEachEngine, type Engine } from '../support/databases.ts';
import { Client } from '../support/json-client.ts';
import { freePort, type TestServer } from '../support/server.ts';
import { totp } from '../support/totp.ts';

const WRONG = 'this is not the password';
const NEW_PASSWORD = 'a brand new passphrase here';

trustForwardedFor();

const wave = <T>(n: number, make: (i: number) => Promise<T>) =>
  Promise.all(Array.from({ length: n }, (_, i) => make(i)));

function statuses(replies: readonly Reply[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of replies) {
    const key = `${r.status} ${(r.body as { code?: string } | null)?.code ?? ''}`.trim();
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

const count = (events: readonly AuditRow[], action: string, subject?: string) =>
  events.filter((e) => e.action === action && (subject === undefined || e.subject_id === subject)).length;

async function sessionsOf(s: TestServer, memberId: string): Promise<number> {
  const rows = await s.db.kysely
    .selectFrom('sessions')
    .select('id')
    .where('member_id', '=', memberId)
    .execute();
  return rows.length;
}

/** A signed-in member with TOTP enrolled and confirmed; returns the secret and their browser. */
async function memberWithMfa(s: TestServer) {
  const person = await memberWithPassword(s, (await makeOrg(s)).id);
  const browser = await signedIn(s, person.email);
  const secret: string = (await browser.post('/api/v1/me/mfa')).body.secret;
  const confirmed = await browser.post('/api/v1/me/mfa/confirm', { code: totp(secret, s.clock.now()) });
  assert.equal(confirmed.status, 200);
  s.clock.advance(30_000);
  return { ...person, secret, browser };
}

describeEachEngine('sign-in protections under parallel requests', (engine) => {
  let s: TestServer;
  before(async () => {
    s = await startWithOperator(engine);
  });
  after(async () => s.close());

  const signIn = (body: Record<string, string>, address = '203.0.113.7') =>
    new Client(s.url).asClientAt(address).post('/api/v1/session', body);

  it('3 waves of 25 parallel wrong passwords: 5 are checked, the account locks, each check is audited', async () => {
    const person = await memberWithPassword(s, (await makeOrg(s)).id);
    const since = await auditMark(s);
    const waves = [];
    for (let w = 0; w < 3; w++)
      waves.push(await wave(25, () => signIn({ email: person.email, password: WRONG })));

    assert.deepEqual(statuses(waves[0] ?? []), {
      '401 INVALID_CREDENTIALS': LOCKOUT_THRESHOLD,
      '429 ACCOUNT_LOCKED': 25 - LOCKOUT_THRESHOLD,
    });
    for (const later of waves.slice(1)) assert.deepEqual(statuses(later), { '429 ACCOUNT_LOCKED': 25 });
    for (const r of waves.flat().filter((r) => r.status === 429)) {
      assert.match(r.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
    }
    const locked = await signIn({ email: person.email, password: PASSWORD });
    assertError(locked, 429, 'ACCOUNT_LOCKED');
    assert.equal(locked.headers.get('retry-after'), '30');

    // Every password that was checked is counted and audited; refusals checked nothing.
    const events = await since();
    assert.equal(count(events, 'session.fail', person.member.id), LOCKOUT_THRESHOLD - 1);
    assert.equal(count(events, 'member.lockout', person.member.id), 1);
    const row = await s.db.kysely
      .selectFrom('members')
      .select(['failed_logins', 'locked_until'])
      .where('id', '=', person.member.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.failed_logins, LOCKOUT_THRESHOLD);
    assert.notEqual(row.locked_until, null);

    s.clock.advance(30_000);
    assert.equal((await signIn({ email: person.email, password: PASSWORD })).status, 200);
  });

  it('8 parallel sign-ins with one TOTP code give exactly one session', async () => {
    const person = await memberWithMfa(s);
    const before = await sessionsOf(s, person.member.id);
    const code = totp(person.secret, s.clock.now());
    const since = await auditMark(s);
    const replies = await wave(8, () => signIn({ email: person.email, password: PASSWORD, totp: code }));

    assert.equal(replies.filter((r) => r.status === 200).length, 1, JSON.stringify(statuses(replies)));
    for (const r of replies.filter((r) => r.status !== 200)) {
      assert.ok(
        ['INVALID_CREDENTIALS', 'ACCOUNT_LOCKED'].includes(r.body.code),
        `unexpected ${r.status} ${r.body.code}`,
      );
    }
    assert.equal(await sessionsOf(s, person.member.id), before + 1);
    const events = await since();
    assert.equal(count(events, 'session.create', person.member.id), 1);
    // Each replay was a failed check of the code, audited as such.
    const failed = replies.filter((r) => r.status === 401).length;
    assert.equal(
      count(events, 'session.fail', person.member.id) + count(events, 'member.lockout', person.member.id),
      failed,
    );
    assert.ok(events.filter((e) => e.action === 'session.fail').every((e) => e.details.includes('"totp"')));
  });

  it('8 parallel enrollment confirmations with one code enable MFA once', async () => {
    const person = await memberWithPassword(s, (await makeOrg(s)).id);
    const browser = await signedIn(s, person.email);
    const secret: string = (await browser.post('/api/v1/me/mfa')).body.secret;
    const code = totp(secret, s.clock.now());
    const since = await auditMark(s);
    const replies = await wave(8, () => browser.post('/api/v1/me/mfa/confirm', { code }));

    assert.equal(replies.filter((r) => r.status === 200).length, 1, JSON.stringify(statuses(replies)));
    for (const r of replies.filter((r) => r.status !== 200)) {
      assert.ok(
        ['INVALID_TOTP', 'MFA_ALREADY_ENROLLED', 'ACCOUNT_LOCKED'].includes(r.body.code),
        r.body.code,
      );
    }
    assert.equal(count(await since(), 'member.mfa.enable', person.member.id), 1);
  });

  it('40 parallel wrong current passwords: 5 are checked, then 429 ACCOUNT_LOCKED, each check audited', async () => {
    const person = await memberWithPassword(s, (await makeOrg(s)).id);
    const browser = await signedIn(s, person.email);
    const since = await auditMark(s);
    const replies = await wave(40, () =>
      browser.post('/api/v1/me/password', { currentPassword: WRONG, newPassword: NEW_PASSWORD }),
    );

    assert.deepEqual(statuses(replies), {
      '401 INVALID_CREDENTIALS': LOCKOUT_THRESHOLD,
      '429 ACCOUNT_LOCKED': 40 - LOCKOUT_THRESHOLD,
    });
    const events = await since();
    assert.equal(count(events, 'member.password.fail', person.member.id), LOCKOUT_THRESHOLD - 1);
    assert.equal(count(events, 'member.lockout', person.member.id), 1);

    // Locked means locked: the right password changes nothing, and sign-in waits too.
    const right = await browser.post('/api/v1/me/password', {
      currentPassword: PASSWORD,
      newPassword: NEW_PASSWORD,
    });
    assertError(right, 429, 'ACCOUNT_LOCKED');
    assert.match(right.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
    assertError(await signIn({ email: person.email, password: PASSWORD }), 429, 'ACCOUNT_LOCKED');
    // The session itself keeps working.
    assert.equal((await browser.get('/api/v1/me')).status, 200);

    s.clock.advance(30_000);
    const changed = await browser.post('/api/v1/me/password', {
      currentPassword: PASSWORD,
      newPassword: NEW_PASSWORD,
    });
    assert.equal(changed.status, 204);
  });

  it('rapid DELETE /me/mfa guesses are throttled: 5 codes are checked, then 429 ACCOUNT_LOCKED', async () => {
    const person = await memberWithMfa(s);
    const browser = new Client(s.url);
    const signedInWithCode = await browser.post('/api/v1/session', {
      email: person.email,
      password: PASSWORD,
      totp: totp(person.secret, s.clock.now()),
    });
    assert.equal(signedInWithCode.status, 200);
    const right = totp(person.secret, s.clock.now() + 30_000);
    const guesses = Array.from({ length: 60 }, (_, i) => String(100_000 + i * 7919)).filter(
      (g) => g !== right,
    );
    const since = await auditMark(s);
    const replies = await wave(guesses.length, (i) => browser.delete('/api/v1/me/mfa', { code: guesses[i] }));

    assert.deepEqual(statuses(replies), {
      '400 INVALID_TOTP': LOCKOUT_THRESHOLD,
      '429 ACCOUNT_LOCKED': guesses.length - LOCKOUT_THRESHOLD,
    });
    const events = await since();
    assert.equal(count(events, 'member.mfa.fail', person.member.id), LOCKOUT_THRESHOLD - 1);
    assert.equal(count(events, 'member.lockout', person.member.id), 1);
    assert.equal(count(events, 'member.mfa.disable', person.member.id), 0);
    // The right code waits for the lock too.
    assertError(await browser.delete('/api/v1/me/mfa', { code: right }), 429, 'ACCOUNT_LOCKED');
  });

  it('a success never wipes a failure counted after it (compare-and-set on the count)', async () => {
    const person = await memberWithPassword(s, (await makeOrg(s)).id);
    const db = s.db.kysely;
    const now = s.clock.now();
    const attempts = [];
    for (let i = 0; i < LOCKOUT_THRESHOLD; i++) {
      const attempt = await reserveAccountAttempt(db, person.member.id, now);
      assert.ok(attempt !== undefined);
      attempts.push(attempt);
    }
    const [first, last] = [attempts[0], attempts.at(-1)];
    assert.ok(first !== undefined && last !== undefined);
    assert.equal(last.locked, true);
    assert.equal(
      await reserveAccountAttempt(db, person.member.id, now),
      undefined,
      'locked: nothing more is counted',
    );

    // The first attempt turns out right; four came after it, the last of which locked the account.
    await clearAccountFailures(db, person.member.id, first);
    assertError(await signIn({ email: person.email, password: PASSWORD }), 429, 'ACCOUNT_LOCKED');
    // The last attempt turns out right: nothing came after it, so it clears the count and the lock.
    await clearAccountFailures(db, person.member.id, last);
    assert.equal((await signIn({ email: person.email, password: PASSWORD })).status, 200);
  });
});

/** A second API node over the same database: its own pool on PostgreSQL, the same file on SQLite. */
async function secondNode(s: TestServer, engine: Engine): Promise<{ url: string; close(): Promise<void> }> {
  const db = engine === 'postgres' ? await openDatabase(s.config.db) : s.db;
  const port = await freePort();
  const app: FastifyInstance = await buildApp({
    config: { ...s.config, port, publicUrl: `http://127.0.0.1:${port}` },
    db,
    clock: s.clock,
    logger: false,
    logIntervalMs: 0,
  });
  await app.listen({ port, host: '127.0.0.1' });
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await app.close();
      if (db !== s.db) await db.close();
    },
  };
}

describeEachEngine('per-address throttle of secret checks, across nodes', (engine) => {
  const LIMIT = 12;
  let s: TestServer;
  let other: { url: string; close(): Promise<void> };
  before(async () => {
    s = await startWithOperator(engine, { TABELLA_AUTH_FAILURES_PER_ADDRESS: String(LIMIT) });
    other = await secondNode(s, engine);
  });
  after(async () => {
    await other.close();
    await s.close();
  });

  it('counts failures from one address across accounts and nodes, then answers 429 RATE_LIMITED', async () => {
    const org = await makeOrg(s);
    const people = await wave(4, () => memberWithPassword(s, org.id));
    const bystander = await memberWithPassword(s, org.id);
    const address = '192.0.2.44';
    const since = await auditMark(s);

    // Two wrong passwords per account (none locks) and unknown e-mails, half to each node.
    const replies = await wave(40, (i) => {
      const email = i < 8 ? (people[i % 4]?.email ?? '') : uniqueEmail('sprayed');
      return new Client(i % 2 === 0 ? s.url : other.url)
        .asClientAt(address)
        .post('/api/v1/session', { email, password: WRONG });
    });
    const counted = replies.filter((r) => r.status === 401).length;
    assert.equal(counted, LIMIT, JSON.stringify(statuses(replies)));
    for (const r of replies.filter((r) => r.status !== 401)) {
      assertError(r, 429, 'RATE_LIMITED');
      assert.match(r.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
    }

    // Nothing more is checked from that address, on either node, not even a right password …
    for (const url of [s.url, other.url]) {
      const r = await new Client(url).asClientAt(address).post('/api/v1/session', {
        email: bystander.email,
        password: PASSWORD,
      });
      assertError(r, 429, 'RATE_LIMITED');
      assert.equal(r.headers.get('retry-after'), '900');
    }
    // … while the same account signs in from elsewhere.
    const elsewhere = await new Client(other.url)
      .asClientAt('192.0.2.45')
      .post('/api/v1/session', { email: bystander.email, password: PASSWORD });
    assert.equal(elsewhere.status, 200);

    const events = await since();
    assert.equal(count(events, 'auth.throttle'), 1);
    assert.equal(count(events, 'member.lockout'), 0);

    s.clock.advance(15 * 60_000);
    const later = await new Client(s.url)
      .asClientAt(address)
      .post('/api/v1/session', { email: bystander.email, password: PASSWORD });
    assert.equal(later.status, 200);
  });

  it('counts secret checks behind a session against the address too, and IPv6 by its /64', async () => {
    const org = await makeOrg(s);
    const people = await wave(4, () => memberWithPassword(s, org.id));
    const browsers = await Promise.all(people.map((p) => signedIn(s, p.email)));
    const replies = await wave(16, (i) => {
      const b = browsers[i % 4] ?? new Client(s.url);
      // One /64, sixteen addresses in it.
      b.asClientAt(`2001:db8:aa:bb::${(i + 1).toString(16)}`);
      return i % 2 === 0
        ? b.post('/api/v1/me/password', { currentPassword: WRONG, newPassword: NEW_PASSWORD })
        : new Client(other.url)
            .asClientAt(`2001:db8:aa:bb:${i}::1`)
            .post('/api/v1/session', { email: people[i % 4]?.email, password: WRONG });
    });
    assert.equal(replies.filter((r) => r.status === 401).length, LIMIT, JSON.stringify(statuses(replies)));
    assert.equal(
      replies.filter((r) => r.status === 429 && r.body.code === 'RATE_LIMITED').length,
      16 - LIMIT,
    );
  });
});
