import { randomUUID } from 'node:crypto';
import { setImmediate } from 'node:timers/promises';
import { isoTime } from '../../core/clock.ts';
import { TabellaError } from '../../core/errors.ts';
import type { MemberActor } from '../../policy/index.ts';
import type { ServiceContext } from '../context.ts';
import {
  completeParts,
  findStatus,
  insertStatus,
  type StatusPartRow,
  type StatusRow,
  statusParts,
} from './status-store.ts';

/** TAXII 2.1 §4.3.1 status-details: which object (and version) and, for failures, why. */
export interface StatusDetail {
  readonly id: string;
  readonly version: string;
  readonly message?: string;
}

/** The outcome of one chunk of an envelope: each of its objects is a success or a failure. */
export interface ChunkOutcome {
  readonly seq: number;
  readonly successes: readonly StatusDetail[];
  readonly failures: readonly StatusDetail[];
}

/** Parts read per query when a status is rendered. */
const PARTS_PER_READ = 100;

/**
 * Records a new status: every object of the envelope pending, one part per chunk (`chunks` holds
 * each chunk's status-details, in order). An empty envelope is complete at once.
 */
export async function openStatus(
  ctx: ServiceContext,
  actor: MemberActor,
  collectionId: string,
  chunks: readonly (readonly StatusDetail[])[],
): Promise<StatusRow> {
  const at = isoTime(ctx.clock.now());
  const parts: StatusPartRow[] = [];
  let total = 0;
  const id = randomUUID();
  for (const [seq, details] of chunks.entries()) {
    total += details.length;
    parts.push({
      status_id: id,
      seq,
      success_count: 0,
      failure_count: 0,
      pending_count: details.length,
      successes: '[]',
      failures: '[]',
      pendings: JSON.stringify(details),
    });
    if (seq % 16 === 15) await setImmediate();
  }
  const row: StatusRow = {
    id,
    org_id: actor.orgId,
    member_id: actor.memberId,
    collection_id: collectionId,
    status: total === 0 ? 'complete' : 'pending',
    request_timestamp: at,
    updated_at: at,
    total_count: total,
    success_count: 0,
    failure_count: 0,
    pending_count: total,
  };
  await insertStatus(ctx.db, row, parts);
  return row;
}

/** Records chunks as done: only their parts are written, and the totals moved (issue 10 §2). */
export async function completeChunks(
  ctx: ServiceContext,
  row: StatusRow,
  outcomes: readonly ChunkOutcome[],
): Promise<void> {
  const patches = outcomes.map((o) => ({
    seq: o.seq,
    success_count: o.successes.length,
    failure_count: o.failures.length,
    pending_count: 0,
    successes: JSON.stringify(o.successes),
    failures: JSON.stringify(o.failures),
    pendings: '[]',
  }));
  await completeParts(ctx.db, row.id, patches, isoTime(ctx.clock.now()));
}

const comma = Buffer.from(',');

/** The items of a stored JSON list, as UTF-8, or nothing for an empty list. */
function addItems(into: Buffer[], list: string): void {
  if (list.length <= 2) return;
  if (into.length > 0) into.push(comma);
  into.push(Buffer.from(list.slice(1, -1), 'utf8'));
}

/**
 * The TAXII 2.1 §4.3.1 status resource as JSON, assembled from its parts' stored lists without
 * parsing them: linear in its size, a page of parts at a time with a yield between pages. Counts
 * are summed from the same parts as the lists, so `total_count = success_count + failure_count +
 * pending_count` and each list's length is its count, even while the envelope is processed.
 */
export async function statusJson(ctx: ServiceContext, row: StatusRow): Promise<Buffer> {
  const successes: Buffer[] = [];
  const failures: Buffer[] = [];
  const pendings: Buffer[] = [];
  let s = 0;
  let f = 0;
  let p = 0;
  for (let after = -1; ; ) {
    const parts = await statusParts(ctx.db, row.id, after, PARTS_PER_READ);
    for (const part of parts) {
      s += part.success_count;
      f += part.failure_count;
      p += part.pending_count;
      addItems(successes, part.successes);
      addItems(failures, part.failures);
      addItems(pendings, part.pendings);
    }
    const last = parts.at(-1);
    if (last === undefined || parts.length < PARTS_PER_READ) break;
    after = last.seq;
    await setImmediate();
  }
  const head = JSON.stringify({
    id: row.id,
    status: p === 0 ? 'complete' : 'pending',
    request_timestamp: row.request_timestamp,
    total_count: s + f + p,
    success_count: s,
  });
  return Buffer.concat([
    Buffer.from(`${head.slice(0, -1)},"successes":[`),
    ...successes,
    Buffer.from(`],"failure_count":${f},"failures":[`),
    ...failures,
    Buffer.from(`],"pending_count":${p},"pendings":[`),
    ...pendings,
    Buffer.from(']}'),
  ]);
}

/** TAXII 2.1 §4.3: a status is visible to the organization that made the request only; else 404. */
export async function getStatus(ctx: ServiceContext, actor: MemberActor, id: string): Promise<Buffer> {
  const row = /^[0-9a-f-]{36}$/.test(id) ? await findStatus(ctx.db, id, actor.orgId) : undefined;
  if (row === undefined) throw new TabellaError('NOT_FOUND', 'status not found');
  return statusJson(ctx, row);
}
