// Migration 013 (issue 11 §5): a token made before scopes existed keeps what it could do — every
// scope, no expiry — through REST, exports (?token= too) and TAXII.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { it } from 'node:test';
import { loadConfig } from '../../src/core/config.ts';
import { openDatabase } from '../../src/db/index.ts';
import { buildApp } from '../../src/server/app.ts';
import { describeEachEngine, scratchDatabase } from '../support/databases.ts';
import { Client } from '../support/json-client.ts';
import { migrateTo, rawKysely } from '../support/migrations.ts';
import { freePort } from '../support/server.ts';
import { ROOT, TaxiiClient } from '../support/taxii.ts';

const at = '2026-11-03T12:00:00.000Z';
const TOKEN = `tbl_${'k'.repeat(43)}`;

describeEachEngine('migration 013: existing tokens keep what they could do', (engine) => {
  it('gives a token made before every scope and no expiry', async () => {
    const scratch = await scratchDatabase(engine);
    try {
      const before = rawKysely(engine, scratch.url);
      try {
        await migrateTo(engine, before, '009-taxii-status-parts');
        await before
          .insertInto('organizations')
          .values({
            id: 'org_1',
            name: 'County',
            kind: 'government',
            role: 'election-office',
            jurisdiction: 'US-NC',
            status: 'vetted',
            is_operator: 0,
            created_at: at,
            updated_at: at,
          })
          .execute();
        await before
          .insertInto('members')
          .values({
            id: 'mbr_1',
            org_id: 'org_1',
            email: 'clerk@county.example',
            display_name: 'Clerk',
            roles: '["admin","analyst"]',
            tier: 1,
            status: 'active',
            password_hash: null,
            mfa_enabled: 0,
            created_at: at,
            updated_at: at,
          } as never)
          .execute();
        // Written as a version before 013 wrote it: no scopes, no expiry columns.
        await before
          .insertInto('api_tokens')
          .values({
            id: 'tok_1',
            member_id: 'mbr_1',
            name: 'old SIEM',
            token_hash: createHash('sha256').update(TOKEN).digest('hex'),
            prefix: TOKEN.slice(0, 10),
            created_at: at,
            last_used_at: null,
            revoked_at: null,
          } as never)
          .execute();
      } finally {
        await before.destroy();
      }

      const db = await openDatabase(scratch.url);
      const port = await freePort();
      const config = loadConfig(
        { db: scratch.url, dataDir: scratch.dataDir, port, host: '127.0.0.1' },
        { TABELLA_PUBLIC_URL: `http://127.0.0.1:${port}` },
      );
      const app = await buildApp({ config, db, logger: false, logIntervalMs: 0 });
      try {
        await app.listen({ port, host: '127.0.0.1' });
        const url = `http://127.0.0.1:${port}`;
        const api = new Client(url).withToken(TOKEN) as Client;
        const tokens = await api.get('/api/v1/tokens');
        assert.equal(tokens.status, 200);
        assert.deepEqual(tokens.body.items[0].scopes, ['read', 'share', 'feeds', 'admin']);
        assert.equal(tokens.body.items[0].expiresAt, null);
        // read, share, feeds (header and ?token=), admin, TAXII: all as before.
        assert.equal((await api.get('/api/v1/intel')).status, 200);
        const shared = await api.post('/api/v1/intel', {
          objects: [
            {
              type: 'indicator',
              spec_version: '2.1',
              id: 'indicator--6b7e0c1a-0f5d-4d5e-9d1a-3b2c4d5e6f70',
              created: at,
              modified: at,
              pattern: "[ipv4-addr:value = '198.51.100.7']",
              pattern_type: 'stix',
              valid_from: at,
            },
          ],
          distribution: { kind: 'org' },
        });
        assert.equal(shared.status, 200, JSON.stringify(shared.body));
        assert.equal((await api.get('/api/v1/exports/blocklist?kind=ip')).status, 200);
        assert.equal((await new Client(url).get(`/api/v1/exports/csv?token=${TOKEN}`)).status, 200);
        const invited = await api.post('/api/v1/orgs/org_1/members', {
          email: 'new@county.example',
          displayName: 'New',
          roles: ['analyst'],
        });
        assert.equal(invited.status, 201, JSON.stringify(invited.body));
        const taxii = new TaxiiClient(url, `Bearer ${TOKEN}`);
        assert.equal((await taxii.get(`${ROOT}/collections/`)).status, 200);
      } finally {
        await app.close();
        await db.close();
      }
    } finally {
      await scratch.cleanup();
    }
  });
});
