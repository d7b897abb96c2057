import type { Kysely } from 'kysely';
import { granularTlpOf, isTlp, stricterTlp } from '../../policy/index.ts';

/** The columns this migration reads, as they were when it was written. */
interface Rows {
  readonly intel_objects: { row_id: string; tlp: string; data: string };
}

const PAGE = 1000;

// Issue 9: an object's TLP takes its granular TLP markings into account (STIX 2.1 §7.2.3; the
// most restrictive wins). Versions stored before were classified by `object_marking_refs` alone,
// so a CLEAR object with a RED `description` is still served as CLEAR; raise each to the strictest
// TLP among its granular markings. Only ever raises; `unknown` stays unknown. Page by row id, so a
// store of millions never sits in memory.
export async function up(db: Kysely<unknown>): Promise<void> {
  const k = db as unknown as Kysely<Rows>;
  let after = '';
  for (;;) {
    const rows = await k
      .selectFrom('intel_objects')
      .select(['row_id', 'tlp', 'data'])
      .where('row_id', '>', after)
      .where('data', 'like', '%"granular_markings"%')
      .orderBy('row_id')
      .limit(PAGE)
      .execute();
    for (const r of rows) {
      if (!isTlp(r.tlp)) continue;
      const raised = stricterTlp(r.tlp, granularTlpOf(JSON.parse(r.data) as Record<string, unknown>));
      if (raised !== r.tlp)
        await k.updateTable('intel_objects').set({ tlp: raised }).where('row_id', '=', r.row_id).execute();
    }
    const last = rows.at(-1);
    if (last === undefined || rows.length < PAGE) return;
    after = last.row_id;
  }
}
