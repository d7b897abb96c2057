// Migration 009 (issue 10 §2): a status stored before — its lists as JSON on its row — becomes one
// part and reads exactly as it did, complete or still pending.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sql } from 'kysely';
import { loadConfig } from '../../src/core/config.ts';
import { openDatabase } from '../../src/db/index.ts';
import { getStatus } from '../../src/features/taxii/status.ts';
import type { MemberActor } from '../../src/policy/index.ts';
import { describeEachEngine, scratchDatabase } from '../support/databases.ts';
import { migrateTo, rawKysely } from '../support/migrations.ts';

const at = '2026-11-03T12:00:00.000Z';
const COMPLETE = '11111111-1111-4111-8111-111111111111';
const PENDING = '22222222-2222-4222-8222-222222222222';
const ok = { id: 'indicator--7e0e4b8c-1f1a-4a53-9a53-2b8a7f0c6d11', version: at };
const bad = { id: 'objects[1]', version: '', message: 'INVALID_STIX: $.type: required' };
const waiting = { id: 'indicator--0f0e4b8c-1f1a-4a53-9a53-2b8a7f0c6d22', version: at };

describeEachEngine('migration 009: TAXII statuses in parts', (engine) => {
  it('reads a status stored before as it was, complete or pending', async () => {
    const scratch = await scratchDatabase(engine);
    try {
      const before = rawKysely(engine, scratch.url);
      try {
        await migrateTo(engine, before, '007-granular-tlp');
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
        const insert = (id: string, status: string, lists: unknown[][]) => {
          const [s, f, p] = lists.map((l) => JSON.stringify(l));
          const [sc, fc, pc] = lists.map((l) => l.length);
          return sql`
            insert into taxii_statuses (id, org_id, member_id, collection_id, status, request_timestamp,
              updated_at, total_count, success_count, failure_count, pending_count, successes, failures, pendings)
            values (${id}, 'org_1', 'mbr_1', 'col_1', ${status}, ${at}, ${at}, ${(sc ?? 0) + (fc ?? 0) + (pc ?? 0)},
              ${sc}, ${fc}, ${pc}, ${s}, ${f}, ${p})
          `.execute(before);
        };
        await insert(COMPLETE, 'complete', [[ok], [bad], []]);
        await insert(PENDING, 'pending', [[ok], [], [waiting]]);
      } finally {
        await before.destroy();
      }

      const db = await openDatabase(scratch.url);
      try {
        const config = loadConfig({ db: scratch.url, dataDir: scratch.dataDir }, {});
        const actor = { kind: 'member', memberId: 'mbr_2', orgId: 'org_1' } as MemberActor;
        const ctx = { db: db.kysely, clock: { now: () => Date.parse(at) }, config, actor };
        const read = async (id: string) => JSON.parse((await getStatus(ctx, actor, id)).toString('utf8'));
        assert.deepEqual(await read(COMPLETE), {
          id: COMPLETE,
          status: 'complete',
          request_timestamp: at,
          total_count: 2,
          success_count: 1,
          successes: [ok],
          failure_count: 1,
          failures: [bad],
          pending_count: 0,
          pendings: [],
        });
        assert.deepEqual(await read(PENDING), {
          id: PENDING,
          status: 'pending',
          request_timestamp: at,
          total_count: 2,
          success_count: 1,
          successes: [ok],
          failure_count: 0,
          failures: [],
          pending_count: 1,
          pendings: [waiting],
        });
      } finally {
        await db.close();
      }
    } finally {
      await scratch.cleanup();
    }
  });
});
