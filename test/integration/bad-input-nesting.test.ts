import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MAX_JSON_DEPTH } from '../../src/core/json-limits.ts';
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
  uniqueEmail,
} from '../support/arrange.ts';
import { describeEachEngine } from '../support/databases.ts';
import type { TestServer } from '../support/server.ts';
import { assertTaxiiError, indicator, ROOT, TAXII, TaxiiClient } from '../support/taxii.ts';

trustForwardedFor();

/** `levels` arrays inside each other, as text: 20,000 levels are 40 KB. */
const arrays = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
/** `levels` objects inside each other (`{"a":{"a":…{}}}`), as text. */
const objects = (levels: number) => `${'{"a":'.repeat(levels - 1)}{}${'}'.repeat(levels - 1)}`;
/** A JSON value nested exactly `levels` deep, as a value. */
function nested(levels: number): unknown {
  let v: unknown = [];
  for (let i = 1; i < levels; i++) v = { a: v };
  return v;
}

describeEachEngine('bad input: deep nesting is a coded 400 on every JSON route (issue 10 §5)', (engine) => {
  let s: TestServer;
  before(async () => {
    s = await startWithOperator(engine);
  });
  after(async () => s.close());

  describe('when a body nests 20,000 levels deep', () => {
    it('answers 400 NESTING_TOO_DEEP on anonymous and member routes, and changes nothing', async () => {
      const op = await operatorAdmin(s);
      const org = await makeOrg(s);
      const analyst = await memberWithToken(s, org.id);
      const routes = [
        [anonymous(s), 'POST', '/api/v1/setup'],
        [anonymous(s), 'POST', '/api/v1/session'],
        [anonymous(s), 'POST', '/api/v1/applications'],
        [anonymous(s), 'POST', '/api/v1/invitations/not-a-real-invitation'],
        [op.api, 'POST', '/api/v1/orgs'],
        [op.api, 'PATCH', `/api/v1/orgs/${org.id}`],
        [analyst.api, 'POST', '/api/v1/intel'],
        [analyst.api, 'POST', '/api/v1/groups'],
        [analyst.api, 'POST', '/api/v1/audit/cosignatures'],
      ] as const;
      const before = await snapshot(s);
      for (const [client, method, path] of routes) {
        for (const body of [arrays(20_000), objects(20_000), `{"objects":${arrays(20_000)}}`]) {
          const r = await client.call(method, path, body, { 'content-type': 'application/json' });
          assertError(r, 400, 'NESTING_TOO_DEEP');
          assert.equal(r.body.fields.length, 1, `${method} ${path}`);
        }
      }
      assert.deepEqual(await snapshot(s), before);
      // The server is still answering normally.
      assert.equal((await analyst.api.get('/api/v1/me')).status, 200);
    });

    it('answers a TAXII add-objects envelope with a TAXII error NESTING_TOO_DEEP', async () => {
      const org = await makeOrg(s);
      const m = await memberWithToken(s, org.id);
      const taxii = TaxiiClient.basic(s, m.email, m.token);
      const collection = await taxii.collectionTitled(org.name);
      const before = await snapshot(s);
      const path = `${ROOT}/collections/${collection}/objects/`;
      for (const body of [
        `{"objects":[${objects(20_000)}]}`,
        arrays(20_000),
        JSON.stringify({ objects: [{ ...indicator(), x_deep: nested(MAX_JSON_DEPTH) }] }),
      ]) {
        assertTaxiiError(await taxii.post(path, body, { 'content-type': TAXII }), 400, 'NESTING_TOO_DEEP');
      }
      assert.deepEqual(await snapshot(s), before);
    });
  });

  describe('when a body nests exactly at the limit', () => {
    it(`lets ${MAX_JSON_DEPTH} levels through to validation and refuses ${MAX_JSON_DEPTH + 1}, naming where`, async () => {
      const email = uniqueEmail();
      const at = (levels: number) =>
        anonymous(s).post('/api/v1/session', { email, password: nested(levels - 1) });
      // The body is level 1, so the password's value adds the remaining levels.
      assertError(await at(MAX_JSON_DEPTH), 400, 'VALIDATION_FAILED', ['password']);
      const over = await at(MAX_JSON_DEPTH + 1);
      assertError(over, 400, 'NESTING_TOO_DEEP', [`password${'.a'.repeat(MAX_JSON_DEPTH - 1)}`]);
      // A real body of ordinary depth still works.
      const ok = await anonymous(s).post('/api/v1/session', { email, password: PASSWORD });
      assertError(ok, 401, 'INVALID_CREDENTIALS');
    });

    it('shares a STIX object whose custom property nests up to the limit', async () => {
      const org = await makeOrg(s);
      const m = await memberWithToken(s, org.id);
      // Body (1) → objects (2) → the object (3) → x_deep's value: levels 4 … MAX_JSON_DEPTH.
      const deepest = { ...indicator(), x_deep: nested(MAX_JSON_DEPTH - 3) };
      const r = await m.api.post('/api/v1/intel', { objects: [deepest], distribution: { kind: 'org' } });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.successes.length, 1, JSON.stringify(r.body));
      const tooDeep = { ...indicator(), x_deep: nested(MAX_JSON_DEPTH - 2) };
      const refused = await m.api.post('/api/v1/intel', {
        objects: [tooDeep],
        distribution: { kind: 'org' },
      });
      assertError(refused, 400, 'NESTING_TOO_DEEP');
    });
  });
});
