// Bulk intel for export tests: rows written the way bench/intel.bench.ts fills its store — the share
// service's own batched insert (`insertVersions`), without per-object validation — so a test can
// hold hundreds of thousands of objects in seconds. Every object is a valid indicator of one
// distinct IPv4 address, so a blocklist of N objects has exactly N entries.
import { randomUUID } from 'node:crypto';
import type { Insertable } from 'kysely';
import { newOrderedId } from '../../src/core/ids.ts';
import type { IntelObjectsTable } from '../../src/db/schema.ts';
import type { ServiceContext } from '../../src/features/context.ts';
import { insertVersions } from '../../src/features/intel/intel-store.ts';
import { nextDateAdded } from '../../src/features/intel/timestamps.ts';
import { tlpMarkingId } from '../../src/policy/index.ts';

const CHUNK = 5000;

export interface BulkOptions {
  /** `community` (every vetted member sees it) or `org` (the owner only). */
  readonly distribution: 'community' | 'org';
  /** The first octet of the addresses (`10` → 10.0.0.1, 10.0.0.2, …), so sets never overlap. */
  readonly firstOctet: number;
}

/** The address of the `i`-th object (from 1) of a fill. */
export function bulkAddress(firstOctet: number, i: number): string {
  return `${firstOctet}.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
}

/**
 * Stores `count` TLP:GREEN indicators owned by `ownerOrgId`, in date_added order; returns the id of
 * the last one (the newest).
 */
export async function fillIntel(
  ctx: ServiceContext,
  ownerOrgId: string,
  count: number,
  o: BulkOptions,
): Promise<string> {
  const created = '2026-01-01T00:00:00.000Z';
  let last = '';
  // One transaction: a commit per chunk costs SQLite a WAL sync each.
  await ctx.db.transaction().execute(async (trx) => {
    for (let from = 1; from <= count; from += CHUNK) {
      const rows: Insertable<IntelObjectsTable>[] = [];
      for (let i = from; i < Math.min(count + 1, from + CHUNK); i++) {
        const id = `indicator--${randomUUID()}`;
        const object = {
          type: 'indicator',
          spec_version: '2.1',
          id,
          created,
          modified: created,
          name: `Bulk indicator ${i}`,
          description:
            'Generated for the export tests: an address seen scanning election night results pages.',
          pattern: `[ipv4-addr:value = '${bulkAddress(o.firstOctet, i)}']`,
          pattern_type: 'stix',
          valid_from: created,
          object_marking_refs: [tlpMarkingId('green')],
        };
        const dateAdded = nextDateAdded(ctx.clock.now());
        rows.push({
          row_id: newOrderedId('int'),
          stix_id: id,
          type: 'indicator',
          spec_version: '2.1',
          created,
          modified: created,
          version_key: '2026-01-01T00:00:00.000000000Z',
          owner_org_id: ownerOrgId,
          date_added: dateAdded,
          lineage_at: dateAdded,
          source: 'import',
          tlp: 'green',
          distribution: o.distribution,
          group_id: null,
          revoked: 0,
          deleted_at: null,
          search: `${object.name}\n${object.pattern}`.toLowerCase(),
          data: JSON.stringify(object),
        });
        last = id;
      }
      await insertVersions(trx, rows, []);
    }
  });
  return last;
}
