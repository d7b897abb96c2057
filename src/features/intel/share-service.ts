import type { Insertable } from 'kysely';

import { TabellaError } from '../../core/errors.ts';
import { newOrderedId } from '../../core/ids.ts';
import type { IntelObjectsTable } from '../../db/schema.ts';
import { isUniqueViolation } from '../../db/unique-violation.ts';
import {
  canShare,
  checkShare,
  type Distribution,
  type MemberActor,
  markObject,
  type Tlp,
} from '../../policy/index.ts';
import { validateObject } from '../../stix/index.ts';
import { recordAuditMany } from '../audit/record.ts';
import type { ServiceContext, Tx } from '../context.ts';
import { heldMarkings } from './held-markings.ts';
import { orgIdentityId } from './identity.ts';
import { groupMembers, insertVersions, lockDateOrder, ownVersions, startLineages } from './intel-store.ts';
import { displayTimestamp, nextDateAdded, normalizeTimestamp, UNVERSIONED } from './timestamps.ts';

export type Source = 'web' | 'rest' | 'taxii' | 'import' | 'feed';

export interface ShareInput {
  /** Attacker-controlled STIX objects. */
  readonly objects: readonly unknown[];
  readonly source: Source;
  readonly distribution: Distribution;
  /** For objects without a TLP marking; AMBER unless said otherwise. */
  readonly defaultTlp?: Tlp | undefined;
  /** Acting organization for the CLI (which has no organization of its own). */
  readonly ownerOrgId?: string | undefined;
  /**
   * When `objects` is one chunk of a larger request (a TAXII envelope, an imported bundle): that
   * request's marking definitions, which the chunk's objects may reference (docs/sharing.md
   * "Markings"). Attacker-controlled, like `objects`.
   */
  readonly requestMarkingDefinitions?: readonly unknown[] | undefined;
}

export interface VersionRef {
  readonly id: string;
  readonly version: string;
}

export interface ShareFailure {
  readonly index: number;
  readonly id?: string | undefined;
  readonly version?: string | undefined;
  readonly code: string;
  readonly message: string;
}

export interface ShareResult {
  readonly successes: VersionRef[];
  readonly failures: ShareFailure[];
}

const BATCH = 5000;

function searchText(o: Record<string, unknown>): string {
  const parts = ['name', 'description', 'pattern', 'value', 'path', 'body', 'subject']
    .map((k) => o[k])
    .filter((v) => typeof v === 'string');
  const hashes = o.hashes;
  if (hashes !== null && typeof hashes === 'object')
    parts.push(...Object.values(hashes).filter((v) => typeof v === 'string'));
  return parts.join('\n').toLowerCase().slice(0, 10_000);
}

async function checkRecipients(ctx: ServiceContext, d: Distribution, ownerOrgId: string): Promise<void> {
  if (d.kind === 'orgs') {
    const ids = [...new Set(d.orgIds)];
    const found = await ctx.db
      .selectFrom('organizations')
      .select('id')
      .where('id', 'in', ids)
      .where('status', '=', 'vetted')
      .execute();
    if (found.length !== ids.length) {
      throw new TabellaError(
        'VALIDATION_FAILED',
        'distribution.orgIds: every recipient must be a vetted organization',
        {
          fields: ['distribution.orgIds'],
        },
      );
    }
  }
  if (d.kind === 'group') {
    const member = await ctx.db
      .selectFrom('sharing_group_members')
      .select('group_id')
      .where('group_id', '=', d.groupId)
      .where('org_id', '=', ownerOrgId)
      .executeTakeFirst();
    if (member === undefined) throw new TabellaError('NOT_FOUND', 'sharing group not found');
  }
}

function failureOf(index: number, code: string, message: string, o?: Record<string, unknown>): ShareFailure {
  return {
    index,
    id: typeof o?.id === 'string' ? o.id : undefined,
    version: typeof o?.modified === 'string' ? o.modified : undefined,
    code,
    message,
  };
}

function ownerOf(ctx: ServiceContext, input: ShareInput): string {
  const actor = ctx.actor;
  if (actor.kind === 'member') return (actor as MemberActor).orgId;
  if (actor.kind === 'cli' && input.ownerOrgId !== undefined) return input.ownerOrgId;
  throw new TabellaError('UNAUTHENTICATED', 'sign in first');
}

/**
 * Shares STIX objects under a TLP and a distribution (issue 4 §1–3). Each object is all-or-nothing:
 * invalid ones, forged `created_by_ref`, someone else's ids and duplicate versions become failures
 * and store nothing; the valid ones are stored with an audit event each, in batches.
 */
export async function shareObjects(ctx: ServiceContext, input: ShareInput): Promise<ShareResult> {
  if (!canShare(ctx.actor))
    throw new TabellaError('FORBIDDEN', 'members of vetted organizations with a sharing role share');
  const ownerOrgId = ownerOf(ctx, input);
  if (ctx.actor.kind === 'cli') {
    const org = await ctx.db
      .selectFrom('organizations')
      .select('status')
      .where('id', '=', ownerOrgId)
      .executeTakeFirst();
    if (org === undefined) throw new TabellaError('NOT_FOUND', 'organization not found');
  }
  await checkRecipients(ctx, input.distribution, ownerOrgId);
  const identity = orgIdentityId(ownerOrgId);
  const allOrgs = await ctx.db.selectFrom('organizations').select('id').execute();
  const memberIdentities = new Set(allOrgs.map((org) => orgIdentityId(org.id)));
  const fallback = input.defaultTlp ?? 'amber';
  const holds = await heldMarkings(ctx, [...input.objects, ...(input.requestMarkingDefinitions ?? [])]);
  const failures: ShareFailure[] = [];
  const successes: VersionRef[] = [];
  const candidates: { index: number; row: Insertable<IntelObjectsTable> }[] = [];
  const seen = new Set<string>();

  for (const [index, value] of input.objects.entries()) {
    const result = validateObject(value);
    const o = value as Record<string, unknown>;
    if (result.errors > 0) {
      const first = result.issues.find((i) => i.severity === 'error');
      failures.push(
        failureOf(
          index,
          'INVALID_STIX',
          `${first?.path ?? '$'}: ${first?.code ?? 'invalid'}`,
          typeof value === 'object' && value !== null ? o : undefined,
        ),
      );
      continue;
    }
    if (o.type === 'bundle') {
      failures.push(
        failureOf(index, 'INVALID_STIX', 'a bundle is not an object to share; send its objects', o),
      );
      continue;
    }
    if (
      typeof o.created_by_ref === 'string' &&
      o.created_by_ref !== identity &&
      memberIdentities.has(o.created_by_ref)
    ) {
      // External identities (a vendor's report relayed by an ISAC) are fine; another member's is forgery.
      failures.push(
        failureOf(
          index,
          'FORGED_CREATED_BY',
          "created_by_ref names another member organization's identity",
          o,
        ),
      );
      continue;
    }
    const marked = markObject(o, fallback, holds);
    if (!marked.ok) {
      failures.push(failureOf(index, marked.code, marked.message, o));
      continue;
    }
    const tlp = marked.tlp;
    const refusal = checkShare(ctx.actor, tlp, input.distribution);
    if (refusal !== null) {
      failures.push(failureOf(index, 'DISTRIBUTION_NOT_ALLOWED', refusal, o));
      continue;
    }
    const versionKey =
      typeof o.modified === 'string' ? (normalizeTimestamp(o.modified) ?? UNVERSIONED) : UNVERSIONED;
    const key = `${o.id as string}|${versionKey}`;
    if (seen.has(key)) {
      failures.push(failureOf(index, 'DUPLICATE_VERSION', 'the same object version twice in one request', o));
      continue;
    }
    seen.add(key);
    candidates.push({
      index,
      row: {
        row_id: newOrderedId('int'),
        stix_id: o.id as string,
        type: o.type as string,
        spec_version: typeof o.spec_version === 'string' ? o.spec_version : '2.1',
        created: typeof o.created === 'string' ? o.created : null,
        modified: typeof o.modified === 'string' ? o.modified : null,
        version_key: versionKey,
        owner_org_id: ownerOrgId,
        date_added: '',
        source: input.source,
        tlp,
        distribution: input.distribution.kind,
        group_id: input.distribution.kind === 'group' ? input.distribution.groupId : null,
        group_open: input.distribution.kind === 'group' && input.distribution.futureMembers === true ? 1 : 0,
        lineage_at: null,
        revoked: o.revoked === true ? 1 : 0,
        deleted_at: null,
        search: searchText(o),
        // An object without a TLP marking is stamped with its TLP, so the marking travels with it
        // through every export and TAXII pull (a recipient's tools must not lose a TLP:RED).
        data: JSON.stringify(marked.object),
      },
    });
  }

  for (let i = 0; i < candidates.length; i += BATCH) {
    const batch = candidates.slice(i, i + BATCH);
    try {
      await ctx.db
        .transaction()
        .execute((trx) => storeBatch(trx, ctx, input, ownerOrgId, batch, failures, successes));
    } catch (err) {
      // One object of the batch conflicted with a concurrent writer of the same organization (rare
      // since writers take lockDateOrder first): fall back to one at a time; each then sees the
      // other's committed version (DUPLICATE_VERSION). Any other error stops the share: nothing of
      // this batch was stored.
      if (!isUniqueViolation(err)) throw err;
      for (const one of batch) {
        await storeOne(ctx, input, ownerOrgId, one, failures, successes);
      }
    }
  }
  failures.sort((a, b) => a.index - b.index);
  return { successes, failures };
}

/** One object in its own transaction; a unique-index race with the same organization is retried once. */
async function storeOne(
  ctx: ServiceContext,
  input: ShareInput,
  ownerOrgId: string,
  one: { index: number; row: Insertable<IntelObjectsTable> },
  failures: ShareFailure[],
  successes: VersionRef[],
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await ctx.db
        .transaction()
        .execute((trx) => storeBatch(trx, ctx, input, ownerOrgId, [one], failures, successes));
      return;
    } catch (err) {
      if (attempt > 0 || !isUniqueViolation(err)) throw err;
    }
  }
}

async function storeBatch(
  trx: Tx,
  ctx: ServiceContext,
  input: ShareInput,
  ownerOrgId: string,
  batch: readonly { index: number; row: Insertable<IntelObjectsTable> }[],
  failures: ShareFailure[],
  successes: VersionRef[],
): Promise<void> {
  // First: one intel writer at a time, dated after the last commit (TAXII polls miss nothing), and
  // a concurrent share of the same version waits here and then sees it (DUPLICATE_VERSION, not a
  // unique-index violation).
  const lastDateAdded = await lockDateOrder(trx);
  const ids = [...new Set(batch.map((b) => b.row.stix_id))];
  // Only the sharer's own lineage of each id matters (issue 9 §2): another organization's versions
  // of the same id — visible or not — are its own lineage, so they neither block nor reveal anything.
  const existing = await ownVersions(trx, ownerOrgId, ids);
  const versions = new Set(existing.map((e) => `${e.stix_id}|${e.version_key}`));
  const known = new Map(existing.map((e) => [e.stix_id, e.lineage_at]));
  const rows: Insertable<IntelObjectsTable>[] = [];
  const stored: VersionRef[] = [];
  const now = ctx.clock.now();
  const failed: ShareFailure[] = [];
  const starts = new Map<string, string>();
  for (const { index, row } of batch) {
    const ref = { id: row.stix_id, version: row.modified ?? undefined };
    if (versions.has(`${row.stix_id}|${row.version_key}`)) {
      failed.push({ index, ...ref, code: 'DUPLICATE_VERSION', message: 'this version is already stored' });
    } else {
      const dateAdded = nextDateAdded(now, lastDateAdded);
      row.date_added = dateAdded;
      const head = known.get(row.stix_id);
      if (head !== undefined && head !== null) row.lineage_at = head;
      else if (!starts.has(row.stix_id)) starts.set(row.stix_id, dateAdded);
      rows.push(row);
      // Objects without `modified` (SCOs) are versioned by date_added, as TAXII 2.1 §3.4.2 says.
      stored.push({ id: ref.id, version: ref.version ?? displayTimestamp(dateAdded) });
    }
  }
  const heads = await startLineages(trx, ownerOrgId, starts);
  for (const r of rows) r.lineage_at ??= heads.get(r.stix_id) ?? r.date_added;
  const audience = await audienceOf(trx, input.distribution);
  const recipients = rows.flatMap((r) => audience.map((org_id) => ({ row_id: r.row_id, org_id })));
  await insertVersions(trx, rows, recipients);
  await recordAuditMany(
    trx,
    ctx,
    rows.map((r) => ({
      action: 'intel.share' as const,
      subjectType: 'intel' as const,
      subjectId: r.stix_id,
      subjectOrgId: ownerOrgId,
      details: {
        version: r.modified ?? null,
        type: r.type,
        tlp: r.tlp,
        distribution: r.distribution,
        source: r.source,
      },
    })),
  );
  failures.push(...failed);
  successes.push(...stored);
}

/**
 * Who a version is shared with, recorded with it: the named organizations, or the group's members
 * at share time (issue 9 §4) — an organization added to the group later is not in it.
 */
async function audienceOf(trx: Tx, d: Distribution): Promise<string[]> {
  if (d.kind === 'orgs') return [...new Set(d.orgIds)];
  if (d.kind === 'group') return groupMembers(trx, d.groupId);
  return [];
}
