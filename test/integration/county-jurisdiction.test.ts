// County jurisdictions (issue 10 §7): a US county election office is `US-<state>-<FIPS county>`,
// e.g. `US-NC-063` (Durham County, North Carolina). Every REST door that takes a jurisdiction
// (operator create, public application, the organization's own edit) stores it canonically and
// audits it; a county code with an unknown state or a malformed county part is refused with
// INVALID_JURISDICTION and changes nothing.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import {
  anonymous,
  assertError,
  auditMark,
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
import type { TestServer } from '../support/server.ts';

trustForwardedFor();

describeEachEngine('county jurisdictions (US-<state>-<FIPS county>)', (engine) => {
  let s: TestServer;
  before(async () => {
    s = await startWithOperator(engine);
  });
  after(async () => s.close());

  const county = (jurisdiction: string) => ({
    name: unique('Durham County Board of Elections'),
    kind: 'government',
    role: 'election-office',
    jurisdiction,
  });

  it('an operator admin creates an organization with jurisdiction US-NC-063, stored and audited', async () => {
    const op = await operatorAdmin(s);
    const audit = await auditMark(s);
    const r = await op.api.post('/api/v1/orgs', county('us-nc-063'));
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.jurisdiction, 'US-NC-063');
    assert.equal((await op.api.get(`/api/v1/orgs/${r.body.id}`)).body.jurisdiction, 'US-NC-063');
    const created = (await audit()).filter((e) => e.action === 'org.create' && e.subject_id === r.body.id);
    assert.equal(created.length, 1);
    assert.equal(
      (JSON.parse(created[0]?.details ?? '{}') as { jurisdiction?: unknown }).jurisdiction,
      'US-NC-063',
    );
  });

  it('anyone applies as a county election office with jurisdiction US-NC-063', async () => {
    const r = await anonymous(s).post('/api/v1/applications', {
      organization: county('US-NC-063'),
      applicant: { email: uniqueEmail('county'), displayName: 'Casey Clerk', password: PASSWORD },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.organization.jurisdiction, 'US-NC-063');
    assert.equal(r.body.organization.status, 'pending');
  });

  it('an organization’s admin moves it from its state to one of its counties', async () => {
    const org = await makeOrg(s, { jurisdiction: 'US-NC' });
    const admin = await memberWithToken(s, org.id, { roles: ['admin'] });
    const r = await admin.api.patch(`/api/v1/orgs/${org.id}`, { jurisdiction: 'US-NC-183' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.jurisdiction, 'US-NC-183');
  });

  it('refuses county codes with an unknown state or a malformed county part, changing nothing', async () => {
    const op = await operatorAdmin(s);
    const before = await snapshot(s);
    for (const j of ['US-XX-063', 'US-NC-000', 'US-NC-63', 'US-NC-0630', 'CA-ON-063', 'US-NC-06A']) {
      assertError(await op.api.post('/api/v1/orgs', county(j)), 400, 'INVALID_JURISDICTION', [
        'jurisdiction',
      ]);
    }
    assertError(
      await anonymous(s).post('/api/v1/applications', {
        organization: county('US-XX-063'),
        applicant: { email: uniqueEmail('county'), displayName: 'Casey Clerk', password: PASSWORD },
      }),
      400,
      'INVALID_JURISDICTION',
      ['organization.jurisdiction'],
    );
    assert.deepEqual(await snapshot(s), before);
  });
});
