// Concurrent duplicates answer the coded 409 their sequential twin gets, never a 500 (issue 10 §5).
// On SQLite one connection serializes the writes; on PostgreSQL the "is it free?" checks race and
// the unique index refuses the losers, which used to surface as 500.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { cosignerFromKey, generateCosignerKey } from '../../src/tlog/index.ts';
import {
  anonymous,
  assertError,
  makeOrg,
  memberWithToken,
  operatorAdmin,
  PASSWORD,
  startWithOperator,
  trustForwardedFor,
  unique,
  uniqueEmail,
} from '../support/arrange.ts';
import type { Reply } from '../support/client.ts';
import { describeEachEngine } from '../support/databases.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

trustForwardedFor();

const WAVE = 30;

/** The replies of a wave, as `status code` strings counted, e.g. `{ '201': 1, '409 ORG_NAME_TAKEN': 29 }`. */
function tally(replies: readonly Reply<{ code?: string }>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of replies) {
    const key = r.status < 300 ? String(r.status) : `${r.status} ${r.body?.code ?? '?'}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

async function auditCount(s: TestServer, action: string): Promise<number> {
  const rows = await s.db.kysely
    .selectFrom('audit_events')
    .select('id')
    .where('action', '=', action)
    .execute();
  return rows.length;
}

describeEachEngine('bad input: concurrent duplicates are the coded 409 of the sequential one', (engine) => {
  let s: TestServer;
  before(async () => {
    s = await startWithOperator(engine);
  });
  after(async () => s.close());

  describe('when one organization name is created concurrently', () => {
    it(`answers one 201 and ${WAVE - 1} × 409 ORG_NAME_TAKEN naming the field; one row, one audit event`, async () => {
      // Several administrators, so no per-token work lines the requests up.
      const ops = await Promise.all([1, 2, 3, 4, 5, 6].map(() => operatorAdmin(s)));
      const name = unique('Racing County');
      const auditBefore = await auditCount(s, 'org.create');
      const replies = await Promise.all(
        Array.from({ length: WAVE }, (_, i) => ops[i % ops.length] as (typeof ops)[number]).map((op) =>
          op.api.post('/api/v1/orgs', {
            name,
            kind: 'government',
            role: 'election-office',
          }),
        ),
      );
      assert.deepEqual(tally(replies), { '201': 1, '409 ORG_NAME_TAKEN': WAVE - 1 });
      for (const r of replies) if (r.status === 409) assertError(r, 409, 'ORG_NAME_TAKEN', ['name']);
      const rows = await s.db.kysely
        .selectFrom('organizations')
        .select('id')
        .where('name', '=', name)
        .execute();
      assert.equal(rows.length, 1);
      assert.equal(await auditCount(s, 'org.create'), auditBefore + 1);
    });

    it('answers concurrent renames of several organizations to one name with one 200 and ORG_NAME_TAKEN', async () => {
      const op = await operatorAdmin(s);
      const orgs = await Promise.all(Array.from({ length: 10 }, () => makeOrg(s)));
      const name = unique('Renamed County');
      const replies = await Promise.all(orgs.map((o) => op.api.patch(`/api/v1/orgs/${o.id}`, { name })));
      assert.deepEqual(tally(replies), { '200': 1, '409 ORG_NAME_TAKEN': orgs.length - 1 });
      for (const r of replies) if (r.status === 409) assertError(r, 409, 'ORG_NAME_TAKEN', ['name']);
      const rows = await s.db.kysely
        .selectFrom('organizations')
        .select('id')
        .where('name', '=', name)
        .execute();
      assert.equal(rows.length, 1);
    });

    it('answers concurrent applications under one name with ORG_NAME_TAKEN naming organization.name', async () => {
      const name = unique('Racing Vendor');
      const replies = await Promise.all(
        Array.from({ length: 8 }, () =>
          anonymous(s).post('/api/v1/applications', {
            organization: { name, kind: 'private', role: 'vendor' },
            applicant: { email: uniqueEmail(), displayName: 'Applicant', password: PASSWORD },
          }),
        ),
      );
      assert.deepEqual(tally(replies), { '201': 1, '409 ORG_NAME_TAKEN': 7 });
      for (const r of replies)
        if (r.status === 409) assertError(r, 409, 'ORG_NAME_TAKEN', ['organization.name']);
      // The losers' members were rolled back with their organizations.
      const orgs = await s.db.kysely
        .selectFrom('organizations')
        .select('id')
        .where('name', '=', name)
        .execute();
      assert.equal(orgs.length, 1);
      const members = await s.db.kysely
        .selectFrom('members')
        .select('id')
        .where('org_id', '=', orgs[0]?.id ?? '')
        .execute();
      assert.equal(members.length, 1);
    });
  });

  describe('when one e-mail is invited concurrently', () => {
    it('answers one 201 and EMAIL_TAKEN naming email for the rest', async () => {
      const org = await makeOrg(s);
      const admin = await memberWithToken(s, org.id, { roles: ['admin'] });
      const email = uniqueEmail('racing');
      const replies = await Promise.all(
        Array.from({ length: WAVE }, () =>
          admin.api.post(`/api/v1/orgs/${org.id}/members`, { email, roles: ['analyst'] }),
        ),
      );
      assert.deepEqual(tally(replies), { '201': 1, '409 EMAIL_TAKEN': WAVE - 1 });
      for (const r of replies) if (r.status === 409) assertError(r, 409, 'EMAIL_TAKEN', ['email']);
    });
  });

  describe('when one witness key is registered concurrently', () => {
    it('answers one 201 and 200 for the rest, as sequential re-registrations are', async () => {
      const oversight = await makeOrg(s, { role: 'oversight', kind: 'government' });
      const admin = await memberWithToken(s, oversight.id, { roles: ['admin'] });
      const key = generateCosignerKey(`${unique('witness')}.example.org`);
      assert.ok(cosignerFromKey(key.signerKey));
      const replies = await Promise.all(
        Array.from({ length: WAVE }, () =>
          admin.api.post('/api/v1/audit/witnesses', { vkey: key.verifierKey }),
        ),
      );
      assert.deepEqual(tally(replies), { '201': 1, '200': WAVE - 1 });
      const rows = await s.db.kysely.selectFrom('log_witnesses').select('key_id').execute();
      assert.equal(rows.filter((r) => r.key_id === replies[0]?.body.keyId).length, 1);
    });
  });
});

describeEachEngine('bad input: concurrent first-run setups', (engine) => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer(engine);
  });
  after(async () => s.close());

  it('let exactly one succeed; the others are 409 SETUP_ALREADY_DONE, whatever names they chose', async () => {
    const setup = (name: string) =>
      anonymous(s).post('/api/v1/setup', {
        setupCode: s.setupCode,
        organization: { name, kind: 'nonprofit', jurisdiction: 'US-NC' },
        admin: { email: uniqueEmail('operator'), displayName: 'Op', password: PASSWORD },
      });
    const same = unique('Operator ISAC');
    const replies = await Promise.all([
      ...Array.from({ length: 4 }, () => setup(same)),
      ...Array.from({ length: 8 }, () => setup(unique('Other ISAC'))),
    ]);
    assert.deepEqual(tally(replies), { '201': 1, '409 SETUP_ALREADY_DONE': 11 });
    const operators = await s.db.kysely
      .selectFrom('organizations')
      .select('id')
      .where('is_operator', '=', 1)
      .execute();
    assert.equal(operators.length, 1);
  });
});
