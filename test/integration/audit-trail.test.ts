// The audit trail (issue 5): each reader sees only the events they may read, paged by a keyset cursor.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import {
  assertError,
  auditMark,
  makeOrg,
  memberWithToken,
  operatorAdmin,
  startWithOperator,
} from '../support/arrange.ts';
import type { Reply } from '../support/client.ts';
import { describeEachEngine } from '../support/databases.ts';
import type { Client } from '../support/json-client.ts';
import type { TestServer } from '../support/server.ts';

interface Page {
  readonly items: { id: string; actorOrgId: string | null }[];
  readonly next: string | null;
}

describeEachEngine('audit trail', (engine) => {
  let s: TestServer;
  before(async () => {
    s = await startWithOperator(engine);
  });
  after(async () => s.close());

  it('shows each reader only the events they may read', async () => {
    const op = await operatorAdmin(s);
    const orgA = await makeOrg(s);
    const adminA = await memberWithToken(s, orgA.id, { roles: ['admin'] });
    const analystA = await memberWithToken(s, orgA.id, { roles: ['analyst'] });
    // Everything done by or to organization B, which A's admin must never see.
    const sinceB = await auditMark(s);
    const orgB = await makeOrg(s);
    const adminB = await memberWithToken(s, orgB.id, { roles: ['admin'] });
    const tokenB = await adminB.api.post('/api/v1/tokens', { name: 'b' });
    assert.equal(tokenB.status, 201);
    assert.equal((await adminB.api.delete(`/api/v1/tokens/${tokenB.body.id}`)).status, 204);
    const foreign = new Set((await sinceB()).map((r) => r.id));
    const since = await auditMark(s);
    assert.equal((await adminA.api.post('/api/v1/tokens', { name: 'a' })).status, 201);
    assert.equal((await adminB.api.post('/api/v1/tokens', { name: 'b2' })).status, 201);
    const rows = await since();
    const eventA = rows.find((r) => r.actor_org_id === orgA.id);
    const eventB = rows.find((r) => r.actor_org_id === orgB.id);
    assert.ok(eventA && eventB);
    foreign.add(eventB.id);
    await s.app.tabellaLog.flush();

    async function allPages(c: Client, query: string): Promise<{ id: string; actorOrgId: string | null }[]> {
      const items: { id: string; actorOrgId: string | null }[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < 50; page++) {
        const r: Reply<Page> = await c.get<Page>(
          `/api/v1/audit/events?limit=500${query}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`,
        );
        assert.equal(r.status, 200, JSON.stringify(r.body));
        items.push(...r.body.items);
        cursor = r.body.next;
        if (cursor === null) return items;
      }
      throw new Error('too many pages');
    }

    const everything = await allPages(op.api, '');
    const ids = new Set(everything.map((e) => e.id));
    assert.ok(ids.has(eventA.id) && ids.has(eventB.id), 'the operator admin reads every organization');
    assert.ok(
      everything.some((e) => e.actorOrgId === null),
      'and the CLI actor’s events',
    );

    const ofA = await allPages(adminA.api, '');
    assert.ok(
      ofA.some((e) => e.id === eventA.id),
      'an organization admin reads their organization’s events',
    );
    assert.deepEqual(
      ofA.filter((e) => foreign.has(e.id) || e.actorOrgId === orgB.id),
      [],
      'and nothing done by or to another organization',
    );
    // Asking for another organization's events by filter does not widen the scope.
    const asked = await allPages(adminA.api, `&actor=${orgB.id}`);
    assert.deepEqual(asked, []);

    assertError(await analystA.api.get('/api/v1/audit/events'), 403, 'FORBIDDEN');
    assertError(await analystA.api.get(`/api/v1/audit/events/${eventA.id}/receipt`), 404, 'NOT_FOUND');
    assertError(await adminA.api.get(`/api/v1/audit/events/${eventB.id}/receipt`), 404, 'NOT_FOUND');
    assert.equal((await adminA.api.get(`/api/v1/audit/events/${eventA.id}/receipt`)).status, 200);
  });

  it('pages the audit trail with a keyset cursor; a cursor it did not issue is 400 VALIDATION_FAILED', async () => {
    const org = await makeOrg(s);
    const admin = await memberWithToken(s, org.id, { roles: ['admin'] });
    const made: string[] = [];
    for (let i = 0; i < 5; i++) {
      const since = await auditMark(s);
      assert.equal((await admin.api.post('/api/v1/tokens', { name: `t${i}` })).status, 201);
      s.clock.advance(1000);
      for (const r of await since()) made.push(r.id);
    }
    assert.equal(made.length, 5);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const q: string = `/api/v1/audit/events?action=token.create&actor=${admin.member.id}&limit=2${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
      const r = await admin.api.get<{ items: { id: string }[]; next: string | null }>(q);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.ok(r.body.items.length <= 2);
      seen.push(...r.body.items.map((e) => e.id));
      cursor = r.body.next;
      pages++;
    } while (cursor !== null && pages < 10);
    assert.equal(pages, 3);
    assert.deepEqual(seen, [...made].reverse(), 'newest first, each event once');

    for (const bad of [
      'not-a-cursor',
      Buffer.from('["2026-11-03T12:00:00.000Z"]').toString('base64url'),
      Buffer.from('{"at":1}').toString('base64url'),
    ])
      assertError(
        await admin.api.get(`/api/v1/audit/events?cursor=${encodeURIComponent(bad)}`),
        400,
        'VALIDATION_FAILED',
      );
  });
});
