import type { Selectable } from 'kysely';
import { TabellaError } from '../../core/errors.ts';
import type { AuditEventsTable } from '../../db/schema.ts';
import { auditScope } from '../../policy/index.ts';
import { recordAudit } from '../audit/record.ts';
import type { Executor, ServiceContext } from '../context.ts';
import type { EventRow } from './entry.ts';

export interface AuditEventView {
  readonly id: string;
  readonly at: string;
  readonly actorType: string;
  readonly actorId: string | null;
  readonly actorOrgId: string | null;
  /** The kind and role of the actor's organization when the event was recorded. */
  readonly actorOrgKind: string | null;
  readonly actorOrgRole: string | null;
  readonly action: string;
  readonly subjectType: string;
  readonly subjectId: string | null;
  /** The organization the subject belongs to, when there is one. */
  readonly subjectOrgId: string | null;
  readonly details: Record<string, unknown>;
  /** Position in the transparency log; null until the sequencer has taken it (seconds). */
  readonly logIndex: number | null;
}

/** The audit trail's view of a stored event (what receipts carry too). */
export function toAuditEventView(
  row: EventRow & Pick<Selectable<AuditEventsTable>, 'log_index'>,
): AuditEventView {
  return {
    id: row.id,
    at: row.at,
    actorType: row.actor_type,
    actorId: row.actor_id,
    actorOrgId: row.actor_org_id,
    actorOrgKind: row.actor_org_kind,
    actorOrgRole: row.actor_org_role,
    action: row.action,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    subjectOrgId: row.subject_org_id,
    details: JSON.parse(row.details) as Record<string, unknown>,
    logIndex: row.log_index,
  };
}

/** The audit events the actor may read, as a query: the scope is applied in SQL. */
export function visibleEvents(db: Executor, ctx: Pick<ServiceContext, 'actor'>) {
  const scope = auditScope(ctx.actor);
  const q = db.selectFrom('audit_events').selectAll();
  switch (scope.kind) {
    case 'all':
      return q;
    case 'org':
      // What the organization did, and what was done to it or its members.
      return q.where((eb) =>
        eb.or([eb('actor_org_id', '=', scope.orgId), eb('subject_org_id', '=', scope.orgId)]),
      );
    case 'none':
      return q.where('id', '=', '');
  }
}

export interface AuditSearch {
  readonly actor?: string | undefined;
  readonly action?: string | undefined;
  readonly subject?: string | undefined;
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  readonly limit?: number | undefined;
  /** Opaque keyset cursor from a previous page. */
  readonly cursor?: string | undefined;
}

function decodeCursor(cursor: string): { at: string; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof at === 'string' && typeof id === 'string') return { at, id };
  } catch {
    // fall through
  }
  throw new TabellaError('VALIDATION_FAILED', 'cursor: not a cursor this server issued', {
    fields: ['cursor'],
  });
}

/**
 * Searches the audit trail, newest first, with keyset pagination. Searching is itself recorded:
 * who looked at the record is part of the record.
 */
export async function searchAuditTrail(
  ctx: ServiceContext,
  search: AuditSearch,
): Promise<{ items: AuditEventView[]; next: string | null }> {
  if (auditScope(ctx.actor).kind === 'none')
    throw new TabellaError('FORBIDDEN', 'only admins and auditors read the audit trail');
  const limit = Math.min(Math.max(search.limit ?? 50, 1), 500);
  let q = visibleEvents(ctx.db, ctx);
  if (search.actor)
    q = q.where((eb) =>
      eb.or([
        eb('actor_id', '=', search.actor ?? ''),
        eb('actor_org_id', '=', search.actor ?? ''),
        eb('actor_type', '=', search.actor ?? ''),
      ]),
    );
  if (search.action) q = q.where('action', 'like', `${search.action.replace(/[%_\\]/g, '')}%`);
  if (search.subject) q = q.where('subject_id', '=', search.subject);
  if (search.from) q = q.where('at', '>=', search.from);
  if (search.to) q = q.where('at', '<', search.to);
  if (search.cursor) {
    const c = decodeCursor(search.cursor);
    q = q.where((eb) => eb.or([eb('at', '<', c.at), eb.and([eb('at', '=', c.at), eb('id', '<', c.id)])]));
  }
  const rows = await q
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const next =
    rows.length > limit && last !== undefined
      ? Buffer.from(JSON.stringify([last.at, last.id])).toString('base64url')
      : null;
  await ctx.db.transaction().execute((trx) =>
    recordAudit(trx, ctx, {
      action: 'audit.search',
      subjectType: 'instance',
      subjectId: null,
      details: {
        filters: Object.keys(search).filter((k) => search[k as keyof AuditSearch] !== undefined),
        results: page.length,
      },
    }),
  );
  return { items: page.map(toAuditEventView), next };
}
