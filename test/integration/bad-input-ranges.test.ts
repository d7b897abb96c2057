// Numbers out of the range of the integer columns they land in are bad input (400), not a query
// PostgreSQL refuses with "out of range for type integer" (issue 10 §5).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  cosignerFromKey,
  formatCheckpoint,
  formatSignatureLine,
  generateCosignerKey,
} from '../../src/tlog/index.ts';
import {
  assertError,
  makeOrg,
  memberWithToken,
  snapshot,
  startWithOperator,
  unique,
} from '../support/arrange.ts';
import { describeEachEngine } from '../support/databases.ts';
import { servedCheckpoint, servedVkey } from '../support/log.ts';
import type { TestServer } from '../support/server.ts';
import { assertTaxiiError, ROOT, TaxiiClient } from '../support/taxii.ts';

/** Raw JSON number texts: 2^31, 2^53 + 1, 2^63, 2^64, 1e308 and more, and their negatives. */
const HUGE = [
  '2147483648',
  '9007199254740993',
  '9223372036854775808',
  '18446744073709551616',
  '1e308',
  '1e400',
];

describeEachEngine('bad input: numbers beyond their integer columns are a coded 400', (engine) => {
  let s: TestServer;
  let vkey: string;
  before(async () => {
    s = await startWithOperator(engine);
    vkey = await servedVkey(s.url);
  });
  after(async () => s.close());

  async function witness() {
    const oversight = await makeOrg(s, { role: 'oversight', kind: 'government' });
    const admin = await memberWithToken(s, oversight.id, { roles: ['admin'] });
    const key = generateCosignerKey(`${unique('witness')}.example.org`);
    const registered = await admin.api.post('/api/v1/audit/witnesses', { vkey: key.verifierKey });
    assert.equal(registered.status, 201, JSON.stringify(registered.body));
    return { admin, cosigner: cosignerFromKey(key.signerKey) };
  }

  describe('when a cosignature names a checkpoint size beyond 2^31 - 1', () => {
    it('answers 400 VALIDATION_FAILED naming size, and changes nothing', async () => {
      const { admin } = await witness();
      const before = await snapshot(s);
      for (const size of [...HUGE, ...HUGE.map((n) => `-${n}`), '-1', '1.5', '"5"', 'null', '[1]', '{}']) {
        const r = await admin.api.call(
          'POST',
          '/api/v1/audit/cosignatures',
          `{"size":${size},"signature":"— x+AAAAAA\\n"}`,
          { 'content-type': 'application/json' },
        );
        assertError(r, 400, 'VALIDATION_FAILED', ['size']);
      }
      assert.deepEqual(await snapshot(s), before);
    });

    it('still takes the largest size (2^31 - 1) as an ordinary missing checkpoint (404)', async () => {
      const { admin } = await witness();
      const r = await admin.api.post('/api/v1/audit/cosignatures', {
        size: 2_147_483_647,
        signature: '— x+AAAAAA\n',
      });
      assertError(r, 404, 'NOT_FOUND');
    });
  });

  describe('when a verifying cosignature carries a timestamp past 2038', () => {
    it('answers 400 VALIDATION_FAILED naming signature, and stores nothing', async () => {
      const { admin, cosigner } = await witness();
      await s.app.tabellaLog.flush();
      const cp = await servedCheckpoint(s.url, vkey);
      const count = async () =>
        (await s.db.kysely.selectFrom('log_cosignatures').select('size').execute()).length;
      const stored = await count();
      for (const at of [2 ** 31, 2 ** 32 + 5, Number.MAX_SAFE_INTEGER]) {
        const signature = formatSignatureLine(cosigner.cosign(formatCheckpoint(cp), at));
        const r = await admin.api.post('/api/v1/audit/cosignatures', { size: cp.size, signature });
        assertError(r, 400, 'VALIDATION_FAILED', ['signature']);
      }
      assert.equal(await count(), stored);
    });
  });

  describe('when a page size in a query string is huge', () => {
    it('answers REST and TAXII listings with a coded 400', async () => {
      const org = await makeOrg(s);
      const m = await memberWithToken(s, org.id, { roles: ['admin'] });
      for (const limit of [...HUGE, '-1', '0', 'NaN', 'Infinity', '1.5']) {
        for (const path of [`/api/v1/intel?limit=${limit}`, `/api/v1/audit/events?limit=${limit}`]) {
          assertError(await m.api.get(path), 400, 'VALIDATION_FAILED', ['limit']);
        }
      }
      const taxii = TaxiiClient.basic(s, m.email, m.token);
      const collection = await taxii.collectionTitled(org.name);
      for (const limit of [...HUGE, '-1', '0', 'NaN', '1.5']) {
        const r = await taxii.get(`${ROOT}/collections/${collection}/objects/?limit=${limit}`);
        assertTaxiiError(r, 400, 'VALIDATION_FAILED');
      }
    });
  });
});
