import { sql } from 'kysely';
import { TabellaError } from '../../core/errors.ts';
import { type EffectiveTlp, type MemberActor, visibilityRule } from '../../policy/index.ts';
import type { ServiceContext } from '../context.ts';
import { normalizeTimestamp, requireTimestamp } from './timestamps.ts';
import { presentedSql, visibleSql } from './visibility-sql.ts';

/** A TAXII-style collection as the intel service understands it (docs/sharing.md "Collections"). */
export type CollectionRef =
  | { readonly kind: 'community' }
  | { readonly kind: 'public' }
  | { readonly kind: 'org' }
  | { readonly kind: 'group'; readonly groupId: string };

export interface ObjectQuery {
  readonly collection?: CollectionRef | undefined;
  readonly types?: readonly string[] | undefined;
  readonly ids?: readonly string[] | undefined;
  readonly versions?: 'last' | 'first' | 'all' | readonly string[] | undefined;
  readonly specVersions?: readonly string[] | undefined;
  readonly addedAfter?: string | undefined;
  readonly tlp?: readonly EffectiveTlp[] | undefined;
  readonly ownerOrgId?: string | undefined;
  readonly text?: string | undefined;
  readonly limit: number;
  readonly cursor?: string | undefined;
  /** `asc` (TAXII: oldest first) or `desc` (REST and web app: newest first). */
  readonly order?: 'asc' | 'desc' | undefined;
  /** Sort by `date_added` (default) or by version (`modified`), as TAXII version lists need (§5.8). */
  readonly orderBy?: 'added' | 'version' | undefined;
}

interface Cursor {
  readonly at: string;
  readonly row: string;
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.at, c.row])).toString('base64url');
}

function decodeCursor(text: string): Cursor {
  try {
    const v = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(v) &&
      typeof v[0] === 'string' &&
      typeof v[1] === 'string' &&
      normalizeTimestamp(v[0]) !== undefined
    ) {
      return { at: v[0], row: v[1] };
    }
  } catch {
    // fall through
  }
  throw new TabellaError('VALIDATION_FAILED', 'next: not a cursor this server issued', { fields: ['next'] });
}

function escapeLike(text: string): string {
  return text.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

/**
 * The `date_added` of a row in a group's collection: when it was relayed into the group if it was
 * (migration 015; manage-service.ts `relayObject`), else its own. Unique and in commit order, as
 * every `date_added` (intel-store.ts `lockDateOrder`).
 */
function addedSql(groupId: string) {
  return sql<string>`coalesce((select lr.date_added from intel_relay_rows lr where lr.row_id = o.row_id and lr.group_id = ${groupId}), o.date_added)`;
}

/**
 * The one query every read of intelligence is built from: the visibility rule in SQL first, then
 * the caller's filters, the version selection (itself among visible versions only), a stable
 * keyset order and cursor. Returns a Kysely query selecting the row and its owner's name.
 */
export function intelQuery(ctx: Pick<ServiceContext, 'db' | 'actor'>, q: Omit<ObjectQuery, 'limit'>) {
  const rule = visibilityRule(ctx.actor);
  let query = ctx.db
    .selectFrom('intel_objects as o')
    .innerJoin('organizations as org', 'org.id', 'o.owner_org_id')
    .selectAll('o')
    .select('org.name as owner_name')
    .where(presentedSql(ctx.actor));

  const c = q.collection;
  if (c !== undefined) {
    switch (c.kind) {
      case 'community':
        query = query.where('o.distribution', '=', 'community');
        break;
      case 'public':
        query = query.where('o.distribution', '=', 'public');
        break;
      case 'org': {
        const orgId = ctx.actor.kind === 'member' ? (ctx.actor as MemberActor).orgId : '';
        query = query.where((eb) =>
          eb.or([
            eb('o.owner_org_id', '=', orgId),
            // Named as a recipient (group shares record their audience in intel_recipients too).
            eb.and([
              eb('o.distribution', '=', 'orgs'),
              eb.exists(
                eb
                  .selectFrom('intel_recipients as r')
                  .select(sql`1`.as('one'))
                  .whereRef('r.row_id', '=', 'o.row_id')
                  .where('r.org_id', '=', orgId),
              ),
            ]),
          ]),
        );
        break;
      }
      case 'group':
        query = query
          .select(addedSql(c.groupId).as('collection_date_added'))
          .where((eb) =>
            eb.or([
              eb.and([eb('o.distribution', '=', 'group'), eb('o.group_id', '=', c.groupId)]),
              eb.exists(
                eb
                  .selectFrom('intel_relays as rl')
                  .select(sql`1`.as('one'))
                  .whereRef('rl.stix_id', '=', 'o.stix_id')
                  .where('rl.group_id', '=', c.groupId),
              ),
            ]),
          );
        break;
    }
  }
  if (q.types !== undefined && q.types.length > 0) query = query.where('o.type', 'in', [...q.types]);
  if (q.ids !== undefined && q.ids.length > 0) query = query.where('o.stix_id', 'in', [...q.ids]);
  if (q.specVersions !== undefined && q.specVersions.length > 0)
    query = query.where('o.spec_version', 'in', [...q.specVersions]);
  if (q.tlp !== undefined && q.tlp.length > 0) query = query.where('o.tlp', 'in', [...q.tlp]);
  if (q.ownerOrgId !== undefined) query = query.where('o.owner_org_id', '=', q.ownerOrgId);
  // When a row entered this collection: in a group's, relayed versions are dated by the relay.
  const added = c?.kind === 'group' ? addedSql(c.groupId) : sql<string>`o.date_added`;
  if (q.addedAfter !== undefined)
    query = query.where(added, '>', requireTimestamp(q.addedAfter, 'added_after'));
  if (q.text !== undefined && q.text.trim() !== '') {
    query = query.where(sql<boolean>`o.search like ${`%${escapeLike(q.text.trim())}%`} escape '\\'`);
  }

  const versions = q.versions ?? 'last';
  if (versions !== 'all') {
    const wanted: readonly string[] = typeof versions === 'string' ? [versions] : versions;
    const keys = wanted.flatMap((v) => {
      const key = v === 'first' || v === 'last' ? undefined : normalizeTimestamp(v);
      return key === undefined ? [] : [key];
    });
    // The union of what each value selects (TAXII 2.1 §3.4.2), still one keyset-paged query.
    query = query.where((eb) => {
      // Latest (or first) among the versions of this lineage the actor may see — never hinting at
      // hidden ones, never mixing another organization's versions in.
      const extreme = (cmp: '>' | '<') =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('intel_objects as o2')
              .select(sql`1`.as('one'))
              .whereRef('o2.stix_id', '=', 'o.stix_id')
              .whereRef('o2.owner_org_id', '=', 'o.owner_org_id')
              .whereRef('o2.version_key', cmp, 'o.version_key')
              .where(visibleSql(rule, 'o2')),
          ),
        );
      const parts = [];
      if (wanted.includes('last')) parts.push(extreme('>'));
      if (wanted.includes('first')) parts.push(extreme('<'));
      if (keys.length > 0 || parts.length === 0)
        parts.push(eb('o.version_key', 'in', keys.length > 0 ? keys : ['']));
      return parts.length === 1 && parts[0] !== undefined ? parts[0] : eb.or(parts);
    });
  }

  const order = q.order ?? 'asc';
  const key = q.orderBy === 'version' ? sql<string>`o.version_key` : added;
  if (q.cursor !== undefined) {
    const cur = decodeCursor(q.cursor);
    const op = order === 'asc' ? '>' : '<';
    query = query.where((eb) =>
      eb.or([eb(key, op, cur.at), eb.and([eb(key, '=', cur.at), eb('o.row_id', op, cur.row)])]),
    );
  }
  return query.orderBy(key, order).orderBy('o.row_id', order);
}
