// The transparency log as served (issue 5): actions from the API and from the CLI-actor services are
// sequenced into a C2SP tlog-tiles log that an outside verifier accepts over HTTP; receipts verify
// offline. The audit trail and witnesses have files of their own (audit-trail, transparency-witness).
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { canonicalJson } from '../../src/core/canonical-json.ts';
import { recordAudit, recordAuditMany } from '../../src/features/audit/record.ts';
import { eventDigest } from '../../src/features/transparency/entry.ts';
import { checkReceipt, isReceiptCheckError } from '../../src/features/transparency/index.ts';
import {
  entriesPath,
  fetchEntryBundle,
  hashLeaf,
  noteVerifierFromKey,
  openCheckpoint,
  TILE_WIDTH,
  tilePath,
  verifyInclusion,
} from '../../src/tlog/index.ts';
import {
  assertError,
  auditMark,
  makeOrg,
  memberWithToken,
  operatorAdmin,
  startWithOperator,
  unique,
  uniqueEmail,
} from '../support/arrange.ts';
import { describeEachEngine } from '../support/databases.ts';
import { Client } from '../support/json-client.ts';
import { httpLogFetch, servedVkey, verifyServedLog } from '../support/log.ts';
import type { TestServer } from '../support/server.ts';

interface LoggedEntry {
  readonly v: number;
  readonly at: string;
  readonly action: string;
  readonly actor: { readonly type: string; readonly kind?: string; readonly role?: string };
  readonly subject: { readonly type: string; readonly id?: string };
  readonly facets: Readonly<Record<string, unknown>>;
  readonly digest: string;
}

describeEachEngine('transparency log', (engine) => {
  let s: TestServer;
  let vkey: string;
  before(async () => {
    s = await startWithOperator(engine);
    vkey = await servedVkey(s.url);
  });
  after(async () => s.close());

  /** Every entry of the served log, in order, parsed and checked to be canonical JSON. */
  async function servedEntries(size: number): Promise<LoggedEntry[]> {
    const fetchLog = httpLogFetch(`${s.url}/log`);
    const out: LoggedEntry[] = [];
    for (let index = 0; index * TILE_WIDTH < size; index++) {
      const width = Math.min(TILE_WIDTH, size - index * TILE_WIDTH);
      for (const bytes of await fetchEntryBundle(fetchLog, index, width)) {
        const text = Buffer.from(bytes).toString('utf8');
        const parsed = JSON.parse(text) as LoggedEntry;
        assert.equal(canonicalJson(parsed), text, 'a log entry is RFC 8785 canonical JSON');
        out.push(parsed);
      }
    }
    return out;
  }

  async function eventCount(): Promise<number> {
    const row = await s.db.kysely
      .selectFrom('audit_events')
      .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async function fillLog(n: number): Promise<void> {
    await s.db.kysely.transaction().execute(async (trx) => {
      for (let i = 0; i < n; i++)
        await recordAudit(trx, s.cli, {
          action: 'audit.search',
          subjectType: 'instance',
          subjectId: null,
          details: { filler: i },
        });
    });
  }

  it('logs actions from the API and from the CLI in a log an outside verifier accepts over HTTP', async () => {
    const since = await auditMark(s);
    const op = await operatorAdmin(s);
    const created = await op.api.post('/api/v1/orgs', {
      name: unique('Logged County'),
      kind: 'government',
      role: 'election-office',
    });
    assert.equal(created.status, 201);
    const orgId: string = created.body.id;
    assert.equal((await op.api.patch(`/api/v1/orgs/${orgId}`, { status: 'vetted' })).status, 200);
    const admin = await memberWithToken(s, orgId, { roles: ['admin'] });
    const invited = await admin.api.post(`/api/v1/orgs/${orgId}/members`, {
      email: uniqueEmail(),
      roles: ['analyst'],
    });
    assert.equal(invited.status, 201);
    const token = await admin.api.post('/api/v1/tokens', { name: 'collector' });
    assert.equal(token.status, 201);
    assert.equal((await admin.api.delete(`/api/v1/tokens/${token.body.id}`)).status, 204);
    const cliOrg = await makeOrg(s);

    const rows = await since();
    const seen = new Set(rows.map((r) => `${r.action}/${r.actor_type}`));
    for (const want of [
      'org.create/token',
      'org.status/token',
      'member.invite/token',
      'token.create/token',
      'token.revoke/token',
      'org.create/cli',
      'member.invite/cli',
      'token.create/cli',
    ])
      assert.ok(seen.has(want), `${want} recorded (got ${[...seen].join(', ')})`);
    assert.ok(rows.some((r) => r.subject_id === cliOrg.id));
    const waiting = await s.db.kysely
      .selectFrom('audit_events')
      .select('log_index')
      .where(
        'id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
    assert.ok(
      waiting.every((r) => r.log_index === null),
      'nothing is sequenced before the sequencer runs',
    );

    assert.ok((await s.app.tabellaLog.flush()) >= rows.length);
    const result = await verifyServedLog(s.url, { vkey });
    const total = await eventCount();
    assert.equal(result.checkpoint.size, total, 'every event recorded so far is in the log');
    assert.equal(result.entriesChecked, total);
    assert.equal(result.checkpoint.origin, s.config.instanceName);

    const indexed = await s.db.kysely
      .selectFrom('audit_events')
      .selectAll()
      .where(
        'id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
    const entries = await servedEntries(result.checkpoint.size);
    for (const row of indexed) {
      assert.notEqual(row.log_index, null, `${row.id} has a log index`);
      const entry = entries[row.log_index as number];
      assert.ok(entry !== undefined);
      assert.equal(entry.v, 2);
      assert.equal(entry.action, row.action);
      assert.equal(entry.at, row.at);
      assert.equal(
        entry.digest,
        eventDigest(row.salt as string, row),
        'the entry commits to the whole event',
      );
      // Members and tokens show their organization's sector, recorded with the event; nobody else one.
      const sector =
        row.actor_org_id === null ? {} : { kind: row.actor_org_kind ?? '?', role: row.actor_org_role ?? '?' };
      assert.deepEqual(entry.actor, { type: row.actor_type, ...sector });
    }
    assert.equal(new Set(entries.map((e) => e.digest)).size, entries.length, 'no event is logged twice');
  });

  it('serves full tiles and bundles as immutable, partial ones not; unknown or non-canonical paths are 404', async () => {
    const before = await eventCount();
    await fillLog(Math.max(0, 300 - before));
    await s.app.tabellaLog.flush();
    const { checkpoint } = await verifyServedLog(s.url, { vkey });
    const size = checkpoint.size;
    assert.ok(size >= TILE_WIDTH && size < 2 * TILE_WIDTH, `size ${size}`);
    const rest = size - TILE_WIDTH;

    const checkpointRes = await fetch(`${s.url}/log/checkpoint`);
    assert.equal(checkpointRes.status, 200);
    assert.doesNotMatch(checkpointRes.headers.get('cache-control') ?? '', /immutable/);

    for (const path of [tilePath({ level: 0, index: 0, width: TILE_WIDTH }), entriesPath(0, TILE_WIDTH)]) {
      const res = await fetch(`${s.url}/log/${path}`);
      assert.equal(res.status, 200, path);
      assert.match(res.headers.get('cache-control') ?? '', /immutable/, path);
      await res.arrayBuffer();
    }
    const partials = [tilePath({ level: 1, index: 0, width: 1 })];
    if (rest > 0) partials.push(tilePath({ level: 0, index: 1, width: rest }), entriesPath(1, rest));
    for (const path of partials) {
      const res = await fetch(`${s.url}/log/${path}`);
      assert.equal(res.status, 200, path);
      assert.doesNotMatch(res.headers.get('cache-control') ?? '', /immutable/, path);
      await res.arrayBuffer();
    }

    for (const path of [
      'tile/0/0', // index not zero-padded
      'tile/0/00', // index not three digits
      'tile/0/000.p/0', // empty partial tile
      'tile/0/000.p/256', // a full tile is never named as partial
      'tile/0/000.p/05', // width not canonical
      'tile/0/x000/000', // leading x000 segment
      'tile/0/999', // beyond the log
      'tile/0/x001/000',
      `tile/0/001.p/${rest + 1}`, // wider than the log holds
      'tile/7/000', // no such level
      'tile/entries/999',
      `tile/entries/001.p/${rest + 1}`,
      'tile/entries/000.p/0',
      'tile/abc',
      'tile/-1/000',
      'tile/0/000/extra',
    ]) {
      const r = await new Client(s.url).get(`/log/${path}`);
      assertError(r, 404, 'NOT_FOUND');
    }
  });

  it('issues receipts that verify offline with only the log key; before sequencing, 409 EVENT_NOT_LOGGED', async () => {
    const op = await operatorAdmin(s);
    const since = await auditMark(s);
    const created = await op.api.post('/api/v1/orgs', {
      name: unique('Receipt County'),
      kind: 'government',
      role: 'election-office',
    });
    assert.equal(created.status, 201);
    const event = (await since()).find((r) => r.action === 'org.create');
    assert.ok(event);

    assertError(await op.api.get(`/api/v1/audit/events/${event.id}/receipt`), 409, 'EVENT_NOT_LOGGED');
    await s.app.tabellaLog.flush();
    const r = await op.api.get(`/api/v1/audit/events/${event.id}/receipt`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const receipt = r.body;
    assert.equal(receipt.format, 'tabella-receipt/v2');
    assert.equal(receipt.event.id, event.id);

    // Offline: the checkpoint signature, the inclusion proof, the details digest.
    const { checkpoint } = openCheckpoint(receipt.checkpoint, [noteVerifierFromKey(vkey)]);
    assert.equal(checkpoint.size, receipt.treeSize);
    const proof = (receipt.inclusionProof as string[]).map((h) => Buffer.from(h, 'base64'));
    verifyInclusion(
      hashLeaf(Buffer.from(receipt.entry, 'utf8')),
      receipt.leafIndex,
      receipt.treeSize,
      proof,
      checkpoint.rootHash,
    );
    const entry = JSON.parse(receipt.entry) as LoggedEntry;
    assert.equal(entry.digest, eventDigest(receipt.salt, event));
    assert.equal(receipt.event.logIndex, receipt.leafIndex);
    assert.equal(receipt.event.subjectOrgId, created.body.id);
    assert.equal(checkReceipt(receipt, [noteVerifierFromKey(vkey)]).eventId, event.id);
    // The entry is the one the public log holds at that index.
    const logged = await servedEntries(receipt.treeSize);
    assert.equal(canonicalJson(logged[receipt.leafIndex]), receipt.entry);

    // A changed detail no longer makes the logged entry.
    const changed = {
      ...receipt,
      event: { ...receipt.event, details: { ...receipt.event.details, name: 'x' } },
    };
    assert.throws(
      () => checkReceipt(changed, [noteVerifierFromKey(vkey)]),
      (err: unknown) => isReceiptCheckError(err) && err.code === 'ENTRY_MISMATCH',
    );

    assertError(await op.api.get('/api/v1/audit/events/evt_nope/receipt'), 404, 'NOT_FOUND');
  });

  it('sequences a backlog larger than a read page, events of one instant included, once each in recording order', async () => {
    // The sequencer reads pending events in pages of 500 (issue 10 §2): 1,234 events recorded
    // with one timestamp make pages whose boundaries fall among equal `at` values.
    await s.app.tabellaLog.flush();
    const start = await eventCount();
    const inputs = Array.from({ length: 1234 }, (_, i) => ({
      action: 'audit.search' as const,
      subjectType: 'instance' as const,
      subjectId: null,
      details: { backlog: i },
    }));
    // One statement, one clock reading: every event has the same `at`.
    await s.db.kysely.transaction().execute((trx) => recordAuditMany(trx, s.cli, inputs));
    assert.equal(await s.app.tabellaLog.flush(), 1234);
    const rows = await s.db.kysely
      .selectFrom('audit_events')
      .select(['id', 'at', 'log_index'])
      .where('log_index', '>=', start)
      .orderBy('log_index')
      .execute();
    assert.equal(rows.length, 1234);
    const recorded = [...rows].sort((a, b) =>
      a.at === b.at ? (a.id < b.id ? -1 : 1) : a.at < b.at ? -1 : 1,
    );
    assert.deepEqual(
      rows.map((r) => r.id),
      recorded.map((r) => r.id),
      'log order is recording order',
    );
    assert.deepEqual(
      rows.map((r) => r.log_index),
      rows.map((_, i) => start + i),
    );
    const result = await verifyServedLog(s.url, { vkey });
    assert.equal(result.checkpoint.size, start + 1234);
  });
});
