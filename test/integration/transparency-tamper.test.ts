// Attacks on the stored log (issue 5, "Failure and attack cases"): one changed tile byte, one
// changed entry, one changed checkpoint signature, one changed event, a missing tile and a log that
// rewrites history under the same key are each detected, with the right reason. Each test tampers
// with the database directly, checks, and restores what it changed.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, it } from 'node:test';
import { canonicalJson } from '../../src/core/canonical-json.ts';
import { recordAudit } from '../../src/features/audit/record.ts';
import { checkReceipt, isReceiptCheckError, LOG_KEY_FILE } from '../../src/features/transparency/index.ts';
import {
  type Checkpoint,
  fetchEntryBundle,
  formatEntryBundle,
  noteSignerFromKey,
  noteVerifierFromKey,
  parseEntryBundle,
  signCheckpoint,
  TILE_WIDTH,
} from '../../src/tlog/index.ts';
import { makeOrg, memberWithToken } from '../support/arrange.ts';
import { describeEachEngine } from '../support/databases.ts';
import {
  assertTlogCode,
  httpLogFetch,
  servedVkey,
  startTestServerWithLogKey,
  verifyServedLog,
} from '../support/log.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

/** The code `checkReceipt` refuses a receipt with, or OK. */
function receiptCode(receipt: unknown, vkey: string): string {
  try {
    checkReceipt(receipt, [noteVerifierFromKey(vkey)]);
    return 'OK';
  } catch (err) {
    if (isReceiptCheckError(err)) return err.code;
    throw err;
  }
}

async function fill(s: TestServer, n: number): Promise<void> {
  await s.db.kysely.transaction().execute(async (trx) => {
    for (let i = 0; i < n; i++)
      await recordAudit(trx, s.cli, {
        action: 'audit.search',
        subjectType: 'instance',
        subjectId: null,
        details: { filler: i },
      });
  });
  await s.app.tabellaLog.flush();
}

/** Flips one bit of a base64-stored blob at `offset`. */
function flipByte(b64: string, offset: number): string {
  const bytes = Buffer.from(b64, 'base64');
  bytes[offset] = (bytes[offset] as number) ^ 0x01;
  return bytes.toString('base64');
}

describeEachEngine('transparency log tampering', (engine) => {
  // Each test gets its own log of 300 entries (one full tile, one partial, a level-1 tile), tampered
  // with before anything reads it over HTTP: the server keeps full tiles in memory once served.
  let s: TestServer;
  let vkey: string;
  const size = 300;
  beforeEach(async () => {
    s = await startTestServer(engine);
    await fill(s, size);
    vkey = await servedVkey(s.url);
  });
  afterEach(async () => s.close());

  async function tile(level: number, idx: number) {
    return s.db.kysely
      .selectFrom('log_tiles')
      .selectAll()
      .where('level', '=', level)
      .where('idx', '=', idx)
      .executeTakeFirstOrThrow();
  }
  async function setTile(level: number, idx: number, data: string) {
    await s.db.kysely
      .updateTable('log_tiles')
      .set({ data })
      .where('level', '=', level)
      .where('idx', '=', idx)
      .execute();
  }

  for (const [level, idx, offset, what] of [
    [0, 0, 5 * 32 + 7, 'a full level-0 tile'],
    [0, 1, 3, 'the partial level-0 tile'],
    [1, 0, 31, 'the level-1 tile'],
  ] as const) {
    it(`one changed byte in ${what}: TILE_INCONSISTENT`, async () => {
      const original = await tile(level, idx);
      await setTile(level, idx, flipByte(original.data, offset));
      await assertTlogCode(verifyServedLog(s.url, { vkey }), 'TILE_INCONSISTENT');
    });
  }

  for (const [idx, what] of [
    [0, 'a full entry bundle'],
    [1, 'the partial entry bundle'],
  ] as const) {
    it(`one changed entry in ${what}: TILE_INCONSISTENT`, async () => {
      const row = await s.db.kysely
        .selectFrom('log_bundles')
        .selectAll()
        .where('idx', '=', idx)
        .executeTakeFirstOrThrow();
      const entries = parseEntryBundle(Buffer.from(row.data, 'base64'), row.width).map((e) =>
        Buffer.from(e).toString('utf8'),
      );
      const victim = entries[2] as string;
      // Same length, one hex digit of the digest changed: still a well-formed bundle and entry.
      const changed = victim.replace(/sha256:(.)/, (_m, c: string) => `sha256:${c === '0' ? '1' : '0'}`);
      assert.notEqual(changed, victim);
      entries[2] = changed;
      const data = Buffer.from(formatEntryBundle(entries.map((e) => Buffer.from(e, 'utf8')))).toString(
        'base64',
      );
      await s.db.kysely.updateTable('log_bundles').set({ data }).where('idx', '=', idx).execute();
      await assertTlogCode(verifyServedLog(s.url, { vkey }), 'TILE_INCONSISTENT');
    });
  }

  it('a changed checkpoint signature or text: BAD_SIGNATURE; a validly signed wrong root: ROOT_MISMATCH', async () => {
    const state = await s.db.kysely.selectFrom('log_state').selectAll().executeTakeFirstOrThrow();
    const original = state.checkpoint;
    const [text, sigs] = original.split('\n\n') as [string, string];
    const sigLine = sigs.split('\n')[0] as string;
    const b64 = sigLine.slice(sigLine.lastIndexOf(' ') + 1);
    // Flip a bit inside the Ed25519 signature (after the 4-byte key ID), keeping valid base64.
    const sigBytes = Buffer.from(b64, 'base64');
    sigBytes[20] = (sigBytes[20] as number) ^ 0x01;
    const badSig = original.replace(b64, sigBytes.toString('base64'));
    const lines = text.split('\n');
    const badText = original.replace(`\n${lines[1]}\n`, `\n${Number(lines[1]) - 1}\n`);
    const signer = noteSignerFromKey(readFileSync(join(s.config.dataDir, LOG_KEY_FILE), 'utf8').trim());
    const wrongRoot = signCheckpoint(
      { origin: lines[0] as string, size, rootHash: Buffer.alloc(32, 9), extensions: [] },
      [signer],
    );
    const cases = [
      [badSig, 'BAD_SIGNATURE'],
      [badText, 'BAD_SIGNATURE'],
      [wrongRoot, 'ROOT_MISMATCH'],
    ] as const;
    for (const [checkpoint, code] of cases) {
      await s.db.kysely.updateTable('log_state').set({ checkpoint }).where('id', '=', 1).execute();
      try {
        await assertTlogCode(verifyServedLog(s.url, { vkey }), code);
      } finally {
        await s.db.kysely
          .updateTable('log_state')
          .set({ checkpoint: original })
          .where('id', '=', 1)
          .execute();
      }
    }
    await verifyServedLog(s.url, { vkey });
  });

  it('a tile or bundle gone from the store: MISSING_TILE', async () => {
    const full = await tile(0, 0);
    await s.db.kysely.deleteFrom('log_tiles').where('level', '=', 0).where('idx', '=', 0).execute();
    try {
      await assertTlogCode(verifyServedLog(s.url, { vkey }), 'MISSING_TILE');
    } finally {
      await s.db.kysely.insertInto('log_tiles').values(full).execute();
    }
    const bundle = await s.db.kysely
      .selectFrom('log_bundles')
      .selectAll()
      .where('idx', '=', 1)
      .executeTakeFirstOrThrow();
    await s.db.kysely.deleteFrom('log_bundles').where('idx', '=', 1).execute();
    try {
      await assertTlogCode(verifyServedLog(s.url, { vkey }), 'MISSING_TILE');
    } finally {
      await s.db.kysely.insertInto('log_bundles').values(bundle).execute();
    }
    await verifyServedLog(s.url, { vkey });
  });

  it('a changed stored event no longer matches its receipt or its logged digest', async () => {
    const org = await makeOrg(s, { role: 'oversight' });
    const auditor = await memberWithToken(s, org.id, { roles: ['auditor'] });
    await s.app.tabellaLog.flush();
    const event = await s.db.kysely
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'org.create')
      .where('subject_id', '=', org.id)
      .executeTakeFirstOrThrow();
    const good = await auditor.api.get(`/api/v1/audit/events/${event.id}/receipt`);
    assert.equal(good.status, 200, JSON.stringify(good.body));

    const details = JSON.parse(event.details) as Record<string, unknown>;
    const forged = canonicalJson({ ...details, name: `${String(details.name)} (renamed)` });
    await s.db.kysely
      .updateTable('audit_events')
      .set({ details: forged })
      .where('id', '=', event.id)
      .execute();
    try {
      const r = await auditor.api.get(`/api/v1/audit/events/${event.id}/receipt`);
      assert.equal(r.status, 200);
      const receipt = r.body;
      assert.deepEqual(JSON.parse(forged), receipt.event.details, 'the receipt carries the changed event');
      // The receipt presents the entry the log holds, which commits to the original event.
      const width = Math.min(
        TILE_WIDTH,
        receipt.treeSize - Math.floor(receipt.leafIndex / TILE_WIDTH) * TILE_WIDTH,
      );
      const bundle = await fetchEntryBundle(
        httpLogFetch(`${s.url}/log`),
        Math.floor(receipt.leafIndex / TILE_WIDTH),
        width,
      );
      const logged = Buffer.from(bundle[receipt.leafIndex % TILE_WIDTH] as Uint8Array).toString('utf8');
      assert.equal(receipt.entry, logged);
      assert.equal(receipt.entry, good.body.entry);
      assert.equal(receiptCode(receipt, vkey), 'ENTRY_MISMATCH', 'the changed event does not make it');
      assert.equal(receiptCode(good.body, vkey), 'OK', 'the receipt of the original event still checks');
      // The public log itself is untouched and still verifies.
      await verifyServedLog(s.url, { vkey });
    } finally {
      await s.db.kysely
        .updateTable('audit_events')
        .set({ details: event.details })
        .where('id', '=', event.id)
        .execute();
    }
  });

  it('a log that rewrites history under the same key: INCONSISTENT_HISTORY against the saved checkpoint', async () => {
    const saved: Checkpoint = (await verifyServedLog(s.url, { vkey })).checkpoint;
    const other = await startTestServerWithLogKey(engine, s.config.dataDir);
    try {
      assert.equal(await servedVkey(other.url), vkey, 'the same instance key');
      // Shrunk to nothing.
      await assertTlogCode(verifyServedLog(other.url, { vkey, previous: saved }), 'INCONSISTENT_HISTORY');
      // A fork of the same size.
      await fill(other, saved.size);
      const fork = await verifyServedLog(other.url, { vkey });
      assert.equal(fork.checkpoint.size, saved.size);
      await assertTlogCode(verifyServedLog(other.url, { vkey, previous: saved }), 'INCONSISTENT_HISTORY');
      // A larger log that does not extend the saved one, though valid and signed on its own.
      await fill(other, 40);
      const larger = await verifyServedLog(other.url, { vkey });
      assert.ok(larger.checkpoint.size > saved.size);
      await assertTlogCode(verifyServedLog(other.url, { vkey, previous: saved }), 'INCONSISTENT_HISTORY');
    } finally {
      await other.close();
    }
    // The genuine log, grown, is consistent with what was saved.
    await fill(s, 10);
    const grown = await verifyServedLog(s.url, { vkey, previous: saved });
    const total = await s.db.kysely
      .selectFrom('audit_events')
      .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(grown.checkpoint.size, Number(total.n));
    assert.ok(grown.checkpoint.size >= saved.size + 10);
  });
});
