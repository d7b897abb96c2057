// An instance upgraded to version-2 entries (issue 9): its log began with version-1 entries, which
// stay as they are (append-only), and continues with version-2 ones. The log still verifies as one
// C2SP tlog-tiles log, and receipts of both versions check — `tabella audit check-receipt` too.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { newSalts } from '../../src/features/transparency/entry.ts';
import {
  canonicalEntryV1,
  checkReceipt,
  isReceiptCheckError,
  LOG_KEY_FILE,
  type Receipt,
} from '../../src/features/transparency/index.ts';
import {
  advanceLogState,
  assignLogIndexes,
  insertCheckpoint,
  pendingEvents,
  upsertBundles,
  upsertTiles,
} from '../../src/features/transparency/log-store.ts';
import {
  fetchEntryBundle,
  formatEntryBundle,
  noteSignerFromKey,
  noteVerifierFromKey,
  signCheckpoint,
  TreeBuilder,
} from '../../src/tlog/index.ts';
import { makeOrg, operatorAdmin, startWithOperator, unique } from '../support/arrange.ts';
import { tabella } from '../support/cli.ts';
import { describeEachEngine } from '../support/databases.ts';
import { httpLogFetch, servedVkey, verifyServedLog } from '../support/log.ts';
import type { TestServer } from '../support/server.ts';

/**
 * Logs every waiting event as version-1 entries, as the sequencer before issue 9 did, on a log
 * that is still empty (so fewer than 256 entries: one partial bundle).
 */
async function logAsVersion1(s: TestServer): Promise<number> {
  const signer = noteSignerFromKey(readFileSync(join(s.config.dataDir, LOG_KEY_FILE), 'utf8').trim());
  const events = await pendingEvents(s.db.kysely, 255);
  const salts = newSalts(events.length);
  const entries = events.map((e, i) => Buffer.from(canonicalEntryV1(e, salts[i] as string), 'utf8'));
  const tree = new TreeBuilder();
  for (const e of entries) tree.appendEntry(e);
  const root = Buffer.from(tree.root()).toString('base64');
  const note = signCheckpoint(
    { origin: signer.name, size: tree.size, rootHash: tree.root(), extensions: [] },
    [signer],
  );
  await s.db.kysely.transaction().execute(async (trx) => {
    await assignLogIndexes(
      trx,
      s.db.engine,
      events.map((e, i) => ({ id: e.id, index: i, salt: salts[i] as string })),
    );
    await upsertTiles(trx, [...tree.takeFullTiles(), ...tree.partialTiles()]);
    await upsertBundles(trx, [{ idx: 0, width: entries.length, data: formatEntryBundle(entries) }]);
    await insertCheckpoint(trx, { size: tree.size, root, note, created_at: '2026-11-01T00:00:00.000Z' });
    assert.ok(
      await advanceLogState(trx, 0, { size: tree.size, root, checkpoint: note, updated_at: '2026-11-01' }),
    );
  });
  return tree.size;
}

describeEachEngine('transparency log upgraded from version-1 entries', (engine) => {
  let s: TestServer;
  before(async () => {
    s = await startWithOperator(engine);
  });
  after(async () => s.close());

  it('verifies, and receipts of version-1 and version-2 entries both check', async () => {
    const old = await makeOrg(s);
    const v1Size = await logAsVersion1(s);
    const op = await operatorAdmin(s);
    const created = await op.api.post('/api/v1/orgs', {
      name: unique('Upgraded County'),
      kind: 'government',
      role: 'election-office',
    });
    assert.equal(created.status, 201);
    assert.ok((await s.app.tabellaLog.flush()) > 0, 'the sequencer continues the stored log');
    const vkey = await servedVkey(s.url);
    const { checkpoint } = await verifyServedLog(s.url, { vkey });
    const served = await fetchEntryBundle(httpLogFetch(`${s.url}/log`), 0, checkpoint.size);
    const versions = served.map((e) => JSON.parse(Buffer.from(e).toString('utf8')).v);
    assert.deepEqual(versions, [...Array(v1Size).fill(1), ...Array(checkpoint.size - v1Size).fill(2)]);

    const receiptOf = async (subjectId: string): Promise<Receipt> => {
      const event = await s.db.kysely
        .selectFrom('audit_events')
        .select('id')
        .where('action', '=', 'org.create')
        .where('subject_id', '=', subjectId)
        .executeTakeFirstOrThrow();
      const r = await op.api.get(`/api/v1/audit/events/${event.id}/receipt`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body as Receipt;
    };
    const v1 = await receiptOf(old.id);
    const v2 = await receiptOf(created.body.id);
    assert.equal(v1.format, 'tabella-receipt/v1');
    assert.equal(v2.format, 'tabella-receipt/v2');
    const verifiers = [noteVerifierFromKey(vkey)];
    for (const r of [v1, v2]) assert.equal(checkReceipt(r, verifiers).eventId, r.event.id);
    // Version-1 entries name the actor in clear, and the check now holds the receipt to it.
    assert.throws(
      () => checkReceipt({ ...v1, event: { ...v1.event, actorType: 'member' } }, verifiers),
      (err: unknown) => isReceiptCheckError(err) && err.code === 'ENTRY_MISMATCH',
    );

    const file = join(s.config.dataDir, 'receipt-v1.json');
    writeFileSync(file, JSON.stringify(v1));
    const run = await tabella(['audit', 'check-receipt', file, '--vkey', vkey]);
    assert.equal(run.code, 0, run.stderr);
  });
});
