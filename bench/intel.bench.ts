// Intel store benchmarks (issue 4 "Benchmarks"), on SQLite and PostgreSQL:
//  1. import of a generated bundle of BENCH_INTEL_IMPORT (default 100,000) objects through
//     `shareObjects` (validation, TLP/distribution checks, batched inserts and one audit event per
//     object), in chunks as `tabella intel import` does — objects/s (aims: SQLite ≥ 20,000/s,
//     PostgreSQL ≥ 10,000/s);
//  2. a TAXII-like page — `listObjects` with order asc, limit 1000, the Community collection, as a
//     member of a vetted organization, the visibility rule compiled into the SQL — at 10,000 stored
//     objects and at BENCH_INTEL_LARGE (default 200,000) stored objects: p50/p95 latency of the first
//     page and of a page deep in the store (through a keyset cursor). The time must not grow with
//     the store.
//
// Run: node --import tsx bench/intel.bench.ts (or npm run bench intel)
// The 1,000,000-object figure: BENCH_INTEL_LARGE=1000000 node --import tsx bench/intel.bench.ts
// (the fill beyond the import goes through the same batched inserts the service uses, without
// validation; allow a few minutes and ~2 GB of disk). BENCH_INTEL_ENGINES=sqlite limits the engines;
// PostgreSQL comes from TABELLA_TEST_PG (default postgres://postgres@127.0.0.1:5432/postgres).
import { type Insertable, sql } from 'kysely';
import { ManualClock } from '../src/core/clock.ts';
import { loadConfig } from '../src/core/config.ts';
import { newOrderedId } from '../src/core/ids.ts';
import { openDatabase } from '../src/db/index.ts';
import type { IntelObjectsTable } from '../src/db/schema.ts';
import type { ServiceContext } from '../src/features/context.ts';
import { listObjects, shareObjects } from '../src/features/intel/index.ts';
import { insertVersions } from '../src/features/intel/intel-store.ts';
import { nextDateAdded } from '../src/features/intel/timestamps.ts';
import { createOrg } from '../src/features/membership/index.ts';
import { tlpMarkingId } from '../src/policy/index.ts';
import { type Engine, scratchDatabase } from '../test/support/databases.ts';
import { benchIndicator, quantile } from './support.ts';

process.env.TABELLA_TEST_PG ??= 'postgres://postgres@127.0.0.1:5432/postgres';
const IMPORT = Number(process.env.BENCH_INTEL_IMPORT ?? 100_000);
const SMALL = 10_000;
const LARGE = Number(process.env.BENCH_INTEL_LARGE ?? 200_000);
const SAMPLES = Number(process.env.BENCH_INTEL_SAMPLES ?? 30);
const ENGINES = (process.env.BENCH_INTEL_ENGINES ?? 'sqlite,postgres').split(',') as Engine[];
const CHUNK = 10_000;

function indicator(i: number): Record<string, unknown> {
  return benchIndicator(i, {
    description: 'Generated for the intel import benchmark: a phishing domain seen on election night.',
    object_marking_refs: [tlpMarkingId(i % 10 === 0 ? 'amber' : 'green')],
  });
}

const fmt = (n: number) => Math.round(n).toLocaleString('en');

/** Fills the store up to `target` rows quickly: the service's insert path without per-object validation. */
async function fill(ctx: ServiceContext, ownerOrgId: string, from: number, target: number): Promise<void> {
  for (let i = from; i < target; i += CHUNK) {
    const rows: Insertable<IntelObjectsTable>[] = [];
    for (let k = i; k < Math.min(target, i + CHUNK); k++) {
      const o = indicator(k);
      const dateAdded = nextDateAdded(ctx.clock.now());
      rows.push({
        row_id: newOrderedId('int'),
        stix_id: o.id as string,
        type: 'indicator',
        spec_version: '2.1',
        created: o.created as string,
        modified: o.modified as string,
        version_key: '2026-01-01T00:00:00.000000Z',
        owner_org_id: ownerOrgId,
        date_added: dateAdded,
        lineage_at: dateAdded,
        source: 'import',
        tlp: k % 10 === 0 ? 'amber' : 'green',
        distribution: k % 3 === 0 ? 'org' : 'community',
        group_id: null,
        revoked: 0,
        deleted_at: null,
        search: `${o.name as string}\n${o.pattern as string}`.toLowerCase(),
        data: JSON.stringify(o),
      });
    }
    await ctx.db.transaction().execute((trx) => insertVersions(trx, rows, []));
  }
}

async function pageLatency(ctx: ServiceContext, label: string): Promise<void> {
  // Fresh statistics, as autovacuum (PostgreSQL) or a periodic ANALYZE (SQLite) keep them on a
  // running server; without them the planner's choices after a bulk load are not representative.
  await sql`analyze`.execute(ctx.db);
  const q = { collection: { kind: 'community' as const }, order: 'asc' as const, limit: 1000 };
  // Warm up, and find a cursor deep in the store (the last page a TAXII client would reach).
  let page = await listObjects(ctx, q);
  let deep: string | null = page.next;
  for (let i = 0; i < 3 && page.next !== null; i++)
    page = await listObjects(ctx, { ...q, cursor: page.next });
  deep = page.next ?? deep;
  const first: number[] = [];
  const later: number[] = [];
  let count = 0;
  for (let i = 0; i < SAMPLES; i++) {
    let t0 = performance.now();
    const p = await listObjects(ctx, q);
    first.push(performance.now() - t0);
    count = p.items.length;
    if (deep !== null) {
      t0 = performance.now();
      await listObjects(ctx, { ...q, cursor: deep });
      later.push(performance.now() - t0);
    }
  }
  console.log(
    `  ${label.padEnd(38)} first page (${count} objects) p50 ${quantile(first, 0.5).toFixed(1)} ms, p95 ${quantile(first, 0.95).toFixed(1)} ms` +
      (later.length > 0
        ? `; page via cursor p50 ${quantile(later, 0.5).toFixed(1)} ms, p95 ${quantile(later, 0.95).toFixed(1)} ms`
        : ''),
  );
}

async function run(engine: Engine): Promise<void> {
  console.log(`\n[${engine}]`);
  const scratch = await scratchDatabase(engine);
  const config = loadConfig({ db: scratch.url, dataDir: scratch.dataDir }, {});
  const db = await openDatabase(config.db);
  const clock = new ManualClock(Date.parse('2026-11-03T12:00:00.000Z'));
  const cli: ServiceContext = { db: db.kysely, clock, config, actor: { kind: 'cli' } };
  try {
    const org = await createOrg(cli, {
      name: 'Bench County',
      kind: 'government',
      role: 'election-office',
      jurisdiction: 'US-NC',
      status: 'vetted',
    });
    const reader = await createOrg(cli, {
      name: 'Bench Reader',
      kind: 'government',
      role: 'election-office',
      jurisdiction: 'US-NC',
      status: 'vetted',
    });
    const member: ServiceContext = {
      ...cli,
      actor: {
        kind: 'member',
        memberId: 'mbr_bench',
        orgId: reader.id,
        orgStatus: 'vetted',
        isOperatorOrg: false,
        orgRole: 'election-office',
        roles: ['analyst'],
        tier: 1,
        via: 'token',
      },
    };

    // 1. Import through shareObjects, in chunks (generation is not timed).
    let stored = 0;
    let failed = 0;
    let ms = 0;
    for (let i = 0; i < IMPORT; i += CHUNK) {
      const objects = Array.from({ length: Math.min(CHUNK, IMPORT - i) }, (_, k) => indicator(i + k));
      const t0 = performance.now();
      const r = await shareObjects(cli, {
        objects,
        source: 'import',
        distribution: { kind: 'community' },
        ownerOrgId: org.id,
      });
      ms += performance.now() - t0;
      stored += r.successes.length;
      failed += r.failures.length;
    }
    console.log(
      `  import ${fmt(IMPORT)} objects via shareObjects: ${fmt(stored)} stored, ${failed} failed in ${(ms / 1000).toFixed(1)} s — ${fmt((stored / ms) * 1000)} objects/s`,
    );

    // 2. Page latency at 10,000 and at LARGE stored objects. A fresh store for 10,000 would need a
    // second import; instead the 10,000 figure is taken on a scratch database of its own.
    await pageLatency(member, `at ${fmt(IMPORT)} stored`);
    if (LARGE > IMPORT) {
      const t0 = performance.now();
      await fill(cli, org.id, IMPORT, LARGE);
      console.log(`  (filled to ${fmt(LARGE)} in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
      await pageLatency(member, `at ${fmt(LARGE)} stored`);
    }
  } finally {
    await db.close();
    await scratch.cleanup();
  }

  // The small store.
  const small = await scratchDatabase(engine);
  const db2 = await openDatabase(loadConfig({ db: small.url, dataDir: small.dataDir }, {}).db);
  try {
    const cli2: ServiceContext = { ...cliOf(db2.kysely, config), actor: { kind: 'cli' } };
    const org = await createOrg(cli2, {
      name: 'Bench County',
      kind: 'government',
      role: 'election-office',
      jurisdiction: 'US-NC',
      status: 'vetted',
    });
    await fill(cli2, org.id, 0, SMALL);
    const reader: ServiceContext = {
      ...cli2,
      actor: {
        kind: 'member',
        memberId: 'mbr_bench',
        orgId: 'org_bench_reader',
        orgStatus: 'vetted',
        isOperatorOrg: false,
        orgRole: 'election-office',
        roles: ['analyst'],
        tier: 1,
        via: 'token',
      },
    };
    await pageLatency(reader, `at ${fmt(SMALL)} stored`);
  } finally {
    await db2.close();
    await small.cleanup();
  }
}

function cliOf(db: ServiceContext['db'], config: ServiceContext['config']): ServiceContext {
  return {
    db,
    clock: new ManualClock(Date.parse('2026-11-03T12:00:00.000Z')),
    config,
    actor: { kind: 'cli' },
  };
}

for (const engine of ENGINES) await run(engine);
