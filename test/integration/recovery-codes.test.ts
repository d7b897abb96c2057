// Issue 11 §2: recovery codes — shown once at MFA enrollment, stored as digests, single-use (also
// under parallel requests), a wrong one a failed attempt like a wrong TOTP code, regenerable with
// the current password and a TOTP code (the old set then stops working).
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { LOCKOUT_THRESHOLD } from '../../src/features/membership/account-lock.ts';
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
} from '../support/arrange.ts';
import { describeEachEngine } from '../support/databases.ts';
import { Client } from '../support/json-client.ts';
import type { TestServer } from '../support/server.ts';
import { totp } from '../support/totp.ts';

trustForwardedFor();

const CODE_FORMAT = /^[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}$/;
const count = (events: readonly AuditRow[], action: string, subject: string) =>
  events.filter((e) => e.action === action && e.subject_id === subject).length;

let addresses = 0;
const at = () => {
  addresses += 1;
  return `203.0.113.${addresses % 250}`;
};

/** A member who enrolled TOTP; returns the secret, the recovery codes and their signed-in browser. */
async function enrolled(s: TestServer) {
  const person = await memberWithPassword(s, (await makeOrg(s)).id);
  const browser = await signedIn(s, person.email);
  const secret: string = (await browser.post('/api/v1/me/mfa')).body.secret;
  const confirmed = await browser.post('/api/v1/me/mfa/confirm', { code: totp(secret, s.clock.now()) });
  assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
  s.clock.advance(30_000);
  return { ...person, secret, browser, codes: confirmed.body.recoveryCodes as string[] };
}

describeEachEngine('recovery codes', (engine) => {
  let s: TestServer;
  before(async () => {
    s = await startWithOperator(engine);
  });
  after(async () => s.close());

  const signIn = (body: Record<string, string>) =>
    new Client(s.url).asClientAt(at()).post('/api/v1/session', body);

  it('enrollment answers 10 distinct codes once, stores only digests, and audits them', async () => {
    const since = await auditMark(s);
    const person = await enrolled(s);
    assert.equal(person.codes.length, 10);
    assert.equal(new Set(person.codes).size, 10);
    for (const c of person.codes) assert.match(c, CODE_FORMAT);
    const rows = await s.db.kysely
      .selectFrom('recovery_codes')
      .selectAll()
      .where('member_id', '=', person.member.id)
      .execute();
    assert.equal(rows.length, 10);
    const stored = JSON.stringify(rows);
    for (const c of person.codes) {
      assert.ok(!stored.includes(c) && !stored.includes(c.replaceAll('-', '')), 'no code in clear');
    }
    for (const r of rows) assert.match(r.code_hash, /^[0-9a-f]{64}$/);
    assert.equal(count(await since(), 'member.recovery.generate', person.member.id), 1);
    assert.deepEqual((await person.browser.get('/api/v1/me/recovery-codes')).body, {
      mfaEnabled: true,
      remaining: 10,
    });
    // Nothing shows the codes again.
    assert.ok(!JSON.stringify((await person.browser.get('/api/v1/me')).body).includes(person.codes[0] ?? ''));
  });

  it('a code signs in in place of a TOTP code, once; typed in lower case without dashes too', async () => {
    const person = await enrolled(s);
    const [first = '', second = ''] = person.codes;
    const since = await auditMark(s);
    const ok = await signIn({ email: person.email, password: PASSWORD, recoveryCode: first });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.member.id, person.member.id);
    assertError(
      await signIn({ email: person.email, password: PASSWORD, recoveryCode: first }),
      401,
      'INVALID_CREDENTIALS',
    );
    const typed = second.replaceAll('-', '').toLowerCase();
    assert.equal(
      (await signIn({ email: person.email, password: PASSWORD, recoveryCode: ` ${typed} ` })).status,
      200,
    );

    const events = await since();
    assert.equal(count(events, 'member.recovery.use', person.member.id), 2);
    assert.equal(count(events, 'session.create', person.member.id), 2);
    const fail = events.find((e) => e.action === 'session.fail' && e.subject_id === person.member.id);
    assert.match(fail?.details ?? '', /recovery-code/);
    const last = events.filter((e) => e.action === 'member.recovery.use').at(-1);
    assert.equal(JSON.parse(last?.details ?? '{}').remaining, 8);
    assert.equal((await person.browser.get('/api/v1/me/recovery-codes')).body.remaining, 8);
    // A code needs the right password all the same, and is not spent by a wrong one.
    assertError(
      await signIn({
        email: person.email,
        password: 'not the password at all',
        recoveryCode: person.codes[2] ?? '',
      }),
      401,
      'INVALID_CREDENTIALS',
    );
    assert.equal((await person.browser.get('/api/v1/me/recovery-codes')).body.remaining, 8);
  });

  it('refuses a TOTP code and a recovery code together (400), changing nothing', async () => {
    const person = await enrolled(s);
    const r = await signIn({
      email: person.email,
      password: PASSWORD,
      totp: totp(person.secret, s.clock.now()),
      recoveryCode: person.codes[0] ?? '',
    });
    assertError(r, 400, 'VALIDATION_FAILED', ['recoveryCode']);
    assert.equal((await person.browser.get('/api/v1/me/recovery-codes')).body.remaining, 10);
  });

  it('8 parallel sign-ins with one code give exactly one session', async () => {
    const person = await enrolled(s);
    const code = person.codes[0] ?? '';
    const since = await auditMark(s);
    const replies = await Promise.all(
      Array.from({ length: 8 }, () =>
        signIn({ email: person.email, password: PASSWORD, recoveryCode: code }),
      ),
    );
    assert.equal(
      replies.filter((r) => r.status === 200).length,
      1,
      JSON.stringify(replies.map((r) => r.status)),
    );
    for (const r of replies.filter((r) => r.status !== 200)) {
      assert.ok(['INVALID_CREDENTIALS', 'ACCOUNT_LOCKED'].includes(r.body.code), r.body.code);
    }
    const events = await since();
    assert.equal(count(events, 'session.create', person.member.id), 1);
    assert.equal(count(events, 'member.recovery.use', person.member.id), 1);
    assert.equal((await person.browser.get('/api/v1/me/recovery-codes')).body.remaining, 9);
  });

  it('wrong codes count toward the lockout like wrong TOTP codes', async () => {
    const person = await enrolled(s);
    const since = await auditMark(s);
    for (let i = 1; i <= LOCKOUT_THRESHOLD; i++) {
      assertError(
        await signIn({ email: person.email, password: PASSWORD, recoveryCode: 'AAAA-BBBB-CCCC' }),
        401,
        'INVALID_CREDENTIALS',
      );
    }
    assertError(
      await signIn({ email: person.email, password: PASSWORD, recoveryCode: person.codes[0] ?? '' }),
      429,
      'ACCOUNT_LOCKED',
    );
    const events = await since();
    assert.equal(count(events, 'session.fail', person.member.id), LOCKOUT_THRESHOLD - 1);
    assert.equal(count(events, 'member.lockout', person.member.id), 1);
    // The refused right code was not spent.
    assert.equal((await person.browser.get('/api/v1/me/recovery-codes')).body.remaining, 10);
    s.clock.advance(30_000);
    assert.equal(
      (await signIn({ email: person.email, password: PASSWORD, recoveryCode: person.codes[0] ?? '' })).status,
      200,
    );
  });

  it('regenerating needs the current password and a TOTP code, and invalidates the old set', async () => {
    const person = await enrolled(s);
    const since = await auditMark(s);
    const code = () => totp(person.secret, s.clock.now());
    assertError(
      await person.browser.post('/api/v1/me/recovery-codes', {
        currentPassword: 'wrong password here',
        code: code(),
      }),
      401,
      'INVALID_CREDENTIALS',
      ['currentPassword'],
    );
    assertError(
      await person.browser.post('/api/v1/me/recovery-codes', { currentPassword: PASSWORD, code: '000000' }),
      400,
      'INVALID_TOTP',
      ['code'],
    );
    assertError(
      await person.browser.post('/api/v1/me/recovery-codes', { currentPassword: PASSWORD }),
      400,
      'VALIDATION_FAILED',
    );
    assert.equal(count(await since(), 'member.recovery.fail', person.member.id), 2);
    assert.equal((await person.browser.get('/api/v1/me/recovery-codes')).body.remaining, 10);

    const r = await person.browser.post('/api/v1/me/recovery-codes', {
      currentPassword: PASSWORD,
      code: code(),
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const fresh: string[] = r.body.recoveryCodes;
    assert.equal(fresh.length, 10);
    assert.ok(fresh.every((c) => !person.codes.includes(c)));
    assert.equal(count(await since(), 'member.recovery.generate', person.member.id), 1);
    // The same TOTP code cannot regenerate twice.
    s.clock.advance(10_000);
    assertError(
      await person.browser.post('/api/v1/me/recovery-codes', {
        currentPassword: PASSWORD,
        code: totp(person.secret, s.clock.now() - 10_000),
      }),
      400,
      'INVALID_TOTP',
    );

    assertError(
      await signIn({ email: person.email, password: PASSWORD, recoveryCode: person.codes[3] ?? '' }),
      401,
      'INVALID_CREDENTIALS',
    );
    assert.equal(
      (await signIn({ email: person.email, password: PASSWORD, recoveryCode: fresh[3] ?? '' })).status,
      200,
    );
    assert.equal((await person.browser.get('/api/v1/me/recovery-codes')).body.remaining, 9);
  });

  it('turning MFA off removes the codes; without MFA there is nothing to regenerate', async () => {
    const person = await enrolled(s);
    const off = await person.browser.delete('/api/v1/me/mfa', { code: totp(person.secret, s.clock.now()) });
    assert.equal(off.status, 204);
    const left = await s.db.kysely
      .selectFrom('recovery_codes')
      .select('id')
      .where('member_id', '=', person.member.id)
      .execute();
    assert.equal(left.length, 0);
    assert.deepEqual((await person.browser.get('/api/v1/me/recovery-codes')).body, {
      mfaEnabled: false,
      remaining: 0,
    });
    assertError(
      await person.browser.post('/api/v1/me/recovery-codes', { currentPassword: PASSWORD, code: '123456' }),
      409,
      'CONFLICT',
    );
  });
});
