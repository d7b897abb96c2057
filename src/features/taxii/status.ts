import { randomUUID } from 'node:crypto';
import { isoTime } from '../../core/clock.ts';
import { TabellaError } from '../../core/errors.ts';
import type { MemberActor } from '../../policy/index.ts';
import type { ServiceContext } from '../context.ts';
import { findStatus, insertStatus, type StatusRow, updateStatus } from './status-store.ts';

/** TAXII 2.1 §4.3.1 status-details: which object (and version) and, for failures, why. */
export interface StatusDetail {
  readonly id: string;
  readonly version: string;
  readonly message?: string;
}

/** TAXII 2.1 §4.3.1 status resource. */
export interface StatusResource {
  readonly id: string;
  readonly status: 'pending' | 'complete';
  readonly request_timestamp: string;
  readonly total_count: number;
  readonly success_count: number;
  readonly successes: readonly StatusDetail[];
  readonly failure_count: number;
  readonly failures: readonly StatusDetail[];
  readonly pending_count: number;
  readonly pendings: readonly StatusDetail[];
}

export interface StatusProgress {
  readonly successes: readonly StatusDetail[];
  readonly failures: readonly StatusDetail[];
  readonly pendings: readonly StatusDetail[];
}

function parseDetails(text: string): StatusDetail[] {
  return JSON.parse(text) as StatusDetail[];
}

export function toStatusResource(row: StatusRow): StatusResource {
  return {
    id: row.id,
    status: row.status === 'complete' ? 'complete' : 'pending',
    request_timestamp: row.request_timestamp,
    total_count: row.total_count,
    success_count: row.success_count,
    successes: parseDetails(row.successes),
    failure_count: row.failure_count,
    failures: parseDetails(row.failures),
    pending_count: row.pending_count,
    pendings: parseDetails(row.pendings),
  };
}

/** Records a new status: every object of the envelope pending. */
export async function openStatus(
  ctx: ServiceContext,
  actor: MemberActor,
  collectionId: string,
  total: number,
  pendings: readonly StatusDetail[],
): Promise<StatusRow> {
  const at = isoTime(ctx.clock.now());
  const row: StatusRow = {
    id: randomUUID(),
    org_id: actor.orgId,
    member_id: actor.memberId,
    collection_id: collectionId,
    status: 'pending',
    request_timestamp: at,
    updated_at: at,
    total_count: total,
    success_count: 0,
    failure_count: 0,
    pending_count: pendings.length,
    successes: '[]',
    failures: '[]',
    pendings: JSON.stringify(pendings),
  };
  await insertStatus(ctx.db, row);
  return row;
}

/** Saves progress; the status is complete once nothing is pending. */
export async function saveProgress(
  ctx: ServiceContext,
  row: StatusRow,
  p: StatusProgress,
): Promise<StatusRow> {
  const patch = {
    status: p.pendings.length === 0 ? 'complete' : 'pending',
    updated_at: isoTime(ctx.clock.now()),
    success_count: p.successes.length,
    failure_count: p.failures.length,
    pending_count: p.pendings.length,
    successes: JSON.stringify(p.successes),
    failures: JSON.stringify(p.failures),
    pendings: JSON.stringify(p.pendings),
  };
  await updateStatus(ctx.db, row.id, patch);
  return { ...row, ...patch };
}

/** TAXII 2.1 §4.3: a status is visible to the organization that made the request only; else 404. */
export async function getStatus(
  ctx: ServiceContext,
  actor: MemberActor,
  id: string,
): Promise<StatusResource> {
  const row = /^[0-9a-f-]{36}$/.test(id) ? await findStatus(ctx.db, id, actor.orgId) : undefined;
  if (row === undefined) throw new TabellaError('NOT_FOUND', 'status not found');
  return toStatusResource(row);
}
