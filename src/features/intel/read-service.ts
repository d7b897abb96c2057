import { sql } from 'kysely';
import { TabellaError } from '../../core/errors.ts';
import { recordAudit } from '../audit/record.ts';
import type { ServiceContext } from '../context.ts';
import { encodeCursor, intelQuery, type ObjectQuery } from './query.ts';
import { addedAt, type IntelRow, type IntelVersion, type Page, toIntelVersion } from './views.ts';

export const MAX_PAGE = 1000;

/** TLP levels whose reads are recorded in the audit log when someone other than the owner reads. */
const SENSITIVE = new Set(['red', 'amber+strict']);

function ownOrg(ctx: ServiceContext): string | undefined {
  return ctx.actor.kind === 'member' ? ctx.actor.orgId : undefined;
}

/**
 * Whether reading this version is recorded in the audit log: TLP:RED or AMBER+STRICT, read by
 * someone other than its owner (issue 5 §2).
 */
export function isSensitiveRead(ctx: ServiceContext, tlp: string, ownerOrgId: string): boolean {
  return SENSITIVE.has(tlp) && ownerOrgId !== ownOrg(ctx);
}

/** Records reads of TLP:RED and AMBER+STRICT objects by recipients (issue 5 §2). */
async function auditSensitiveReads(ctx: ServiceContext, rows: readonly IntelRow[]) {
  const sensitive = rows.filter((r) => isSensitiveRead(ctx, r.tlp, r.owner_org_id));
  if (sensitive.length === 0) return;
  await ctx.db.transaction().execute(async (trx) => {
    for (const r of sensitive) {
      await recordAudit(trx, ctx, {
        action: 'intel.read',
        subjectType: 'intel',
        subjectId: r.stix_id,
        subjectOrgId: r.owner_org_id,
        details: { tlp: r.tlp, version: r.modified },
      });
    }
  });
}

/**
 * A page of visible object versions; `next` is a keyset cursor that only ever covers visible rows.
 * `audit: 'none'` is for reads that return no content (existence checks, manifests, version lists)
 * and for exports, which record one `intel.export` event of their own (export-stream.ts).
 */
export async function listObjects(
  ctx: ServiceContext,
  q: ObjectQuery,
  audit: 'intel.read' | 'none' = 'intel.read',
): Promise<Page<IntelVersion>> {
  const limit = Math.min(Math.max(q.limit, 1), MAX_PAGE);
  const rows = (await intelQuery(ctx, q)
    .limit(limit + 1)
    .execute()) as IntelRow[];
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  if (audit !== 'none') await auditSensitiveReads(ctx, page);
  return {
    items: page.map(toIntelVersion),
    next:
      rows.length > limit && last !== undefined
        ? encodeCursor({ at: q.orderBy === 'version' ? last.version_key : addedAt(last), row: last.row_id })
        : null,
  };
}

/**
 * How many visible objects match (same rule, same filters). With `cap`, counting stops past `cap`
 * (the answer is then `cap + 1`), so an overview stays fast over a store of millions.
 */
export async function countObjects(
  ctx: ServiceContext,
  q: Omit<ObjectQuery, 'limit' | 'cursor'>,
  cap?: number,
): Promise<number> {
  let inner = intelQuery(ctx, q).clearOrderBy();
  if (cap !== undefined) inner = inner.limit(cap + 1);
  const row = await ctx.db.selectFrom(inner.as('v')).select(sql<number>`count(*)`.as('n')).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** The latest visible version of an object; not found when none is visible. */
export async function getObject(ctx: ServiceContext, stixId: string): Promise<IntelVersion> {
  const row = (await intelQuery(ctx, { ids: [stixId], versions: 'last' })
    .limit(1)
    .executeTakeFirst()) as IntelRow | undefined;
  if (row === undefined) throw new TabellaError('NOT_FOUND', 'object not found');
  await auditSensitiveReads(ctx, [row]);
  return toIntelVersion(row);
}

/** Every visible version, oldest first (TAXII 2.1 §5.7 order). */
export async function listVersions(ctx: ServiceContext, stixId: string): Promise<IntelVersion[]> {
  const rows = (await intelQuery(ctx, { ids: [stixId], versions: 'all' })
    .clearOrderBy()
    .orderBy('o.version_key', 'asc')
    .orderBy('o.date_added', 'asc')
    .execute()) as IntelRow[];
  if (rows.length === 0) throw new TabellaError('NOT_FOUND', 'object not found');
  await auditSensitiveReads(ctx, rows);
  return rows.map(toIntelVersion);
}

/** Visible relationships and sightings that reference the object (latest versions). */
export async function listRelationships(ctx: ServiceContext, stixId: string): Promise<IntelVersion[]> {
  await getObject(ctx, stixId);
  const like = `%${stixId.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
  const rows = (await intelQuery(ctx, { types: ['relationship', 'sighting'], versions: 'last' })
    .where(sql<boolean>`o.data like ${like} escape '\\'`)
    .limit(500)
    .execute()) as IntelRow[];
  return rows.map(toIntelVersion).filter((v) => {
    const o = v.object;
    const refs = [
      o.source_ref,
      o.target_ref,
      o.sighting_of_ref,
      ...(Array.isArray(o.where_sighted_refs) ? o.where_sighted_refs : []),
    ];
    return refs.includes(stixId);
  });
}
