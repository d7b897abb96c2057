// Migration 006 (issue 9) on a database that already holds events: those still waiting for the
// sequencer get their organization's sector, so their version-2 entries show it; events already in
// the log keep what they were logged with.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { openDatabase } from '../../src/db/index.ts';
import { describeEachEngine, scratchDatabase } from '../support/databases.ts';
import { migrateTo, rawKysely } from '../support/migrations.ts';

describeEachEngine('migration 006: the actor sector', (engine) => {
  it('gives waiting events their organization sector and leaves logged ones as they are', async () => {
    const scratch = await scratchDatabase(engine);
    try {
      const before = rawKysely(engine, scratch.url);
      try {
        await migrateTo(engine, before, '004-taxii-status');
        const at = '2026-11-03T12:00:00.000Z';
        await before
          .insertInto('organizations')
          .values({
            id: 'org_1',
            name: 'Vendor',
            kind: 'private',
            role: 'vendor',
            jurisdiction: null,
            status: 'vetted',
            is_operator: 0,
            created_at: at,
            updated_at: at,
          })
          .execute();
        const event = (id: string, actorOrg: string | null, logIndex: number | null) => ({
          id,
          at,
          actor_type: actorOrg === null ? 'cli' : 'member',
          actor_id: actorOrg === null ? null : 'mbr_1',
          actor_org_id: actorOrg,
          action: 'token.create',
          subject_type: 'token',
          subject_id: 'tok_1',
          subject_org_id: 'org_1',
          details: '{}',
          log_index: logIndex,
          salt: logIndex === null ? null : 'AAAAAAAAAAAAAAAAAAAAAA',
        });
        await before
          .insertInto('audit_events')
          .values([
            event('evt_waiting', 'org_1', null),
            event('evt_logged', 'org_1', 0),
            event('evt_cli', null, null),
          ])
          .execute();
      } finally {
        await before.destroy();
      }

      const db = await openDatabase(scratch.url);
      try {
        const rows = await db.kysely
          .selectFrom('audit_events')
          .select(['id', 'actor_org_kind', 'actor_org_role'])
          .orderBy('id')
          .execute();
        assert.deepEqual(rows, [
          { id: 'evt_cli', actor_org_kind: null, actor_org_role: null },
          { id: 'evt_logged', actor_org_kind: null, actor_org_role: null },
          { id: 'evt_waiting', actor_org_kind: 'private', actor_org_role: 'vendor' },
        ]);
      } finally {
        await db.close();
      }
    } finally {
      await scratch.cleanup();
    }
  });
});
