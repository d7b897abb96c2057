import { type HoldsMarking, nonTlpMarkingRefs, visibilityRule } from '../../policy/index.ts';
import { validateObject } from '../../stix/index.ts';
import type { ServiceContext } from '../context.ts';
import { visibleSql } from './visibility-sql.ts';

const CHUNK = 500;

type Obj = Readonly<Record<string, unknown>>;

const isRecord = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The marking definitions (other than TLP, which every instance holds) that objects being shared
 * may reference (docs/sharing.md "Markings"): valid `marking-definition` objects in the same
 * request, and those stored here that the sharer can see — its own included — by the one
 * visibility rule. A reference to anything else makes an object `unknown`.
 *
 * @param objects the share request's objects, and its other marking definitions when the call
 *   shares one chunk of it (attacker-controlled)
 */
export async function heldMarkings(ctx: ServiceContext, objects: readonly unknown[]): Promise<HoldsMarking> {
  const held = new Set<string>();
  const wanted = new Set<string>();
  for (const o of objects) {
    if (!isRecord(o)) continue;
    for (const ref of nonTlpMarkingRefs(o)) wanted.add(ref);
    if (o.type === 'marking-definition' && typeof o.id === 'string' && validateObject(o).errors === 0)
      held.add(o.id);
  }
  const lookup = [...wanted].filter((id) => !held.has(id));
  for (let i = 0; i < lookup.length; i += CHUNK) {
    const rows = await ctx.db
      .selectFrom('intel_objects as o')
      .select('o.stix_id')
      .distinct()
      .where('o.type', '=', 'marking-definition')
      .where('o.stix_id', 'in', lookup.slice(i, i + CHUNK))
      .where(visibleSql(visibilityRule(ctx.actor), 'o'))
      .execute();
    for (const r of rows) held.add(r.stix_id);
  }
  return (id) => held.has(id);
}
