import { type RawBuilder, type SqlBool, sql } from 'kysely';
import { type Actor, type Condition, visibilityRule } from '../../policy/index.ts';

/** The aliases intel queries give `intel_objects`. */
export type IntelAlias = 'o' | 'o2' | 'ol';

/**
 * Compiles the one visibility rule (policy/visibility.ts) into a SQL predicate over the
 * `intel_objects` row aliased `alias` (values are bound parameters, never spliced). Every read
 * path — REST, TAXII, exports, search, the web app — filters with this, in SQL, so pages, counts
 * and cursors never see an invisible row.
 */
export function visibleSql(c: Condition, alias: IntelAlias): RawBuilder<SqlBool> {
  const col = (name: string) => sql.ref(`${alias}.${name}`);
  const list = (values: readonly string[]) => sql.join(values.map((v) => sql`${v}`));
  switch (c.kind) {
    case 'true':
      return sql<SqlBool>`(1 = 1)`;
    case 'false':
      return sql<SqlBool>`(1 = 0)`;
    case 'and':
      return c.of.length === 0
        ? sql<SqlBool>`(1 = 1)`
        : sql<SqlBool>`(${sql.join(
            c.of.map((x) => visibleSql(x, alias)),
            sql` and `,
          )})`;
    case 'or':
      return c.of.length === 0
        ? sql<SqlBool>`(1 = 0)`
        : sql<SqlBool>`(${sql.join(
            c.of.map((x) => visibleSql(x, alias)),
            sql` or `,
          )})`;
    case 'notDeleted':
      return sql<SqlBool>`${col('deleted_at')} is null`;
    case 'ownerIs':
      return sql<SqlBool>`${col('owner_org_id')} = ${c.orgId}`;
    case 'tlpIn':
      return c.values.length === 0
        ? sql<SqlBool>`(1 = 0)`
        : sql<SqlBool>`${col('tlp')} in (${list(c.values)})`;
    case 'distributionIn':
      return c.values.length === 0
        ? sql<SqlBool>`(1 = 0)`
        : sql<SqlBool>`${col('distribution')} in (${list(c.values)})`;
    case 'recipient':
      return sql<SqlBool>`exists (select 1 from intel_recipients r where r.row_id = ${col('row_id')} and r.org_id = ${c.orgId})`;
    case 'groupAudience':
      return sql<SqlBool>`(exists (select 1 from sharing_group_members gm where gm.group_id = ${col('group_id')} and gm.org_id = ${c.orgId}) and (${col('group_open')} = 1 or exists (select 1 from intel_recipients r where r.row_id = ${col('row_id')} and r.org_id = ${c.orgId})))`;
  }
}

/**
 * What the actor is presented of `intel_objects o`: the visibility rule, and of each id only the
 * preferred lineage (policy `lineagePreferred`: the actor's own organization's, else the earliest
 * visible one, ties by owner id). Every read path filters with this.
 */
export function presentedSql(actor: Actor): RawBuilder<SqlBool> {
  const rule = visibilityRule(actor);
  const own = actor.kind === 'member' ? actor.orgId : null;
  const preferred =
    own === null
      ? sql<SqlBool>`(ol.lineage_at < o.lineage_at or (ol.lineage_at = o.lineage_at and ol.owner_org_id < o.owner_org_id))`
      : sql<SqlBool>`(ol.owner_org_id = ${own} or (o.owner_org_id <> ${own} and (ol.lineage_at < o.lineage_at or (ol.lineage_at = o.lineage_at and ol.owner_org_id < o.owner_org_id))))`;
  // The first test (is there another lineage of this id at all? one probe of intel_lineages' key) is
  // almost always false and answers alone; written as an `or`, neither test is flattened into a join,
  // so the planner keeps walking the date_added index and stops at the page's end.
  return sql<SqlBool>`(${visibleSql(rule, 'o')} and (not exists (select 1 from intel_lineages h where h.stix_id = o.stix_id and h.owner_org_id <> o.owner_org_id) or not exists (select 1 from intel_objects ol where ol.stix_id = o.stix_id and ol.owner_org_id <> o.owner_org_id and ${preferred} and ${visibleSql(rule, 'ol')})))`;
}
