// Durable appends to the transparency log (issue 5): audit events recorded, then sequenced in
// batches (one durable commit per batch) into tiles, entry bundles and a signed checkpoint — on
// SQLite (synchronous=FULL) and PostgreSQL. Baseline in the same run: the same number of events
// inserted with no log at all, so the log's own cost can be read off.
import { randomUUID } from 'node:crypto';
import { systemClock } from '../src/core/clock.ts';
import { openDatabase } from '../src/db/index.ts';
import { Sequencer } from '../src/features/transparency/index.ts';
import { readTile } from '../src/features/transparency/log-store.ts';
import {
  asyncTileHashReader,
  generateNoteKey,
  HASH_SIZE,
  inclusionProofAsync,
  noteSignerFromKey,
} from '../src/tlog/index.ts';
import { type Engine, scratchDatabase } from '../test/support/databases.ts';

const N = Number(process.env.BENCH_EVENTS ?? 100_000);
process.env.TABELLA_TEST_PG ??= 'postgres://postgres@127.0.0.1:5432/postgres';

async function insertEvents(db: Awaited<ReturnType<typeof openDatabase>>, n: number): Promise<number> {
  const t0 = performance.now();
  const base = Date.parse('2026-11-01T00:00:00Z');
  for (let i = 0; i < n; i += 1000) {
    // Half member updates, half shares: a share's entry carries facets parsed from its details.
    const rows = Array.from({ length: Math.min(1000, n - i) }, (_, j) => ({
      id: `evt_${randomUUID()}`,
      at: new Date(base + i + j).toISOString(),
      actor_type: 'member',
      actor_id: `mbr_${randomUUID()}`,
      actor_org_id: `org_${randomUUID()}`,
      actor_org_kind: 'government',
      actor_org_role: 'election-office',
      ...(j % 2 === 0
        ? {
            action: 'member.update',
            subject_type: 'member',
            subject_id: `mbr_${randomUUID()}`,
            details: '{"roles":["analyst"],"tier":2}',
          }
        : {
            action: 'intel.share',
            subject_type: 'intel',
            subject_id: `ipv4-addr--${randomUUID()}`,
            details: '{"distribution":"orgs","source":"rest","tlp":"red","type":"ipv4-addr","version":null}',
          }),
      subject_org_id: `org_${randomUUID()}`,
      log_index: null,
      salt: null,
    }));
    await db.kysely.transaction().execute((trx) => trx.insertInto('audit_events').values(rows).execute());
  }
  return performance.now() - t0;
}

async function run(engine: Engine) {
  const scratch = await scratchDatabase(engine);
  const db = await openDatabase(scratch.url);
  try {
    const insertMs = await insertEvents(db, N);
    const signer = noteSignerFromKey(generateNoteKey('bench.example/log').signerKey);
    const seq = new Sequencer({
      db,
      clock: systemClock,
      origin: 'bench.example/log',
      signer,
      batchSize: 5000,
    });
    await seq.init();
    const t0 = performance.now();
    const appended = await seq.drain();
    const ms = performance.now() - t0;
    console.log(
      '  %s: %d events recorded in %s s (%s/s, baseline without log); sequenced in %s s → %s durable appends/s (%d batches of ≤5,000)',
      engine.padEnd(8),
      N,
      (insertMs / 1000).toFixed(2),
      Math.round(N / (insertMs / 1000)).toLocaleString('en'),
      (ms / 1000).toFixed(2),
      Math.round(appended / (ms / 1000)).toLocaleString('en'),
      Math.ceil(N / 5000),
    );
    // Inclusion proofs as receipts build them: from the stored tiles, through the database.
    const reader = asyncTileHashReader(appended, async (tile) => {
      const stored = await readTile(db.kysely, tile.level, tile.index);
      return stored?.data.subarray(0, tile.width * HASH_SIZE);
    });
    const PROOFS = 500;
    const p0 = performance.now();
    for (let i = 0; i < PROOFS; i++)
      await inclusionProofAsync(reader, Math.floor(Math.random() * appended), appended);
    console.log(
      '  %s: inclusion proof from stored tiles at %d entries: %s µs each',
      engine.padEnd(8),
      appended,
      (((performance.now() - p0) / PROOFS) * 1000).toFixed(0),
    );
  } finally {
    await db.close();
    await scratch.cleanup();
  }
}

console.log('transparency log appends, %d events', N);
await run('sqlite');
await run('postgres');
