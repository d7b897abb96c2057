import { TabellaError } from '../../core/errors.ts';
import type { ServiceContext } from '../context.ts';

/** Ids per query: well under SQLite's and PostgreSQL's limits on bound parameters. */
const IDS_PER_QUERY = 1000;

/**
 * How many versions of the objects `stixIds` organization `ownerOrgId` has stored since `mark` — a
 * `newOrderedId('int')` made in this process before the writes began: every version row this
 * process makes later has a greater row id (core/ids.ts, RFC 9562 §6.2), so rows after the mark are
 * the ones it stored. `tabella intel import` asks this about a chunk that failed part-way, to say
 * exactly what was stored when it stopped. Administrative (CLI) only.
 */
export async function countStoredSince(
  ctx: ServiceContext,
  ownerOrgId: string,
  stixIds: readonly string[],
  mark: string,
): Promise<number> {
  if (ctx.actor.kind !== 'cli') throw new TabellaError('FORBIDDEN', 'administrative only');
  const ids = [...new Set(stixIds)];
  let n = 0;
  for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
    const rows = await ctx.db
      .selectFrom('intel_objects')
      .select('row_id')
      .where('owner_org_id', '=', ownerOrgId)
      .where('stix_id', 'in', ids.slice(i, i + IDS_PER_QUERY))
      .execute();
    // Compared here, not in SQL: PostgreSQL would compare text under the database's collation.
    n += rows.filter((r) => r.row_id > mark).length;
  }
  return n;
}
