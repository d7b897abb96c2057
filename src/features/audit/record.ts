import { canonicalJson } from '../../core/canonical-json.ts';
import { isoTime } from '../../core/clock.ts';
import { newOrderedId } from '../../core/ids.ts';
import { insertMany } from '../../db/insert-many.ts';
import type { Actor } from '../../policy/index.ts';
import type { ServiceContext, Tx } from '../context.ts';

/** Every action code: `<subject>.<verb>`, stable, listed in docs/audit.md (a test keeps them in step). */
export const AUDIT_ACTIONS = [
  'setup.complete',
  'setup.fail',
  'org.create',
  'org.apply',
  'org.update',
  'org.status',
  'org.rename.request',
  'org.rename.approve',
  'org.rename.reject',
  'member.invite',
  'member.update',
  'member.activate',
  'invitation.resend',
  'invitation.revoke',
  'member.password',
  'member.password.fail',
  'member.mfa.enroll',
  'member.mfa.enable',
  'member.mfa.disable',
  'member.mfa.fail',
  'member.lockout',
  'member.recovery.generate',
  'member.recovery.use',
  'member.recovery.fail',
  'member.reset.issue',
  'member.reset.use',
  'session.create',
  'session.fail',
  'session.delete',
  'session.delete_all',
  'auth.throttle',
  'token.create',
  'token.revoke',
  'audit.search',
  'audit.receipt',
  'witness.register',
  'intel.share',
  'intel.delete',
  'intel.relay',
  'intel.read',
  'intel.export',
  'group.create',
  'group.update',
  'group.delete',
  'taxii.pull',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditInput {
  readonly action: AuditAction;
  readonly subjectType:
    | 'organization'
    | 'member'
    | 'session'
    | 'token'
    | 'instance'
    | 'audit_event'
    | 'witness'
    | 'intel'
    | 'group';
  readonly subjectId: string | null;
  /** Non-secret facts about the change. Never passwords, tokens or TOTP secrets. */
  readonly details?: Readonly<Record<string, unknown>>;
  /** The subject's organization; derived from the subject when not given. */
  readonly subjectOrgId?: string | null;
}

/** Finds the organization a subject belongs to, so that organization's admins see the event. */
async function subjectOrg(trx: Tx, input: AuditInput): Promise<string | null> {
  if (input.subjectOrgId !== undefined) return input.subjectOrgId;
  if (input.subjectId === null) return null;
  switch (input.subjectType) {
    case 'organization':
      return input.subjectId;
    case 'member': {
      const row = await trx
        .selectFrom('members')
        .select('org_id')
        .where('id', '=', input.subjectId)
        .executeTakeFirst();
      return row?.org_id ?? null;
    }
    case 'token': {
      const row = await trx
        .selectFrom('api_tokens as t')
        .innerJoin('members as m', 'm.id', 't.member_id')
        .select('m.org_id')
        .where('t.id', '=', input.subjectId)
        .executeTakeFirst();
      return row?.org_id ?? null;
    }
    case 'session':
    case 'instance':
    case 'audit_event':
    case 'witness':
    case 'intel':
    case 'group':
      return null;
  }
}

/**
 * The actor organization's kind and role: the actor's public sector in the log entry (issue 9).
 * Stored with the event, so the entry never needs a lookup and a receipt carries it.
 */
async function actorSector(trx: Tx, actor: Actor): Promise<{ kind: string | null; role: string | null }> {
  if (actor.kind !== 'member') return { kind: null, role: null };
  const row = await trx
    .selectFrom('organizations')
    .select(['kind', 'role'])
    .where('id', '=', actor.orgId)
    .executeTakeFirst();
  return { kind: row?.kind ?? null, role: row?.role ?? null };
}

function actorColumns(actor: Actor): { type: string; id: string | null; orgId: string | null } {
  switch (actor.kind) {
    case 'member':
      return { type: actor.via === 'token' ? 'token' : 'member', id: actor.memberId, orgId: actor.orgId };
    case 'cli':
      return { type: 'cli', id: null, orgId: null };
    case 'anonymous':
      return { type: 'anonymous', id: null, orgId: null };
  }
}

/**
 * Records an audit event inside the transaction that makes the change, so there is never an
 * action without its event nor an event without its action (issue 5 builds the Merkle log on it).
 */
export async function recordAudit(
  trx: Tx,
  ctx: Pick<ServiceContext, 'clock' | 'actor'>,
  input: AuditInput,
): Promise<void> {
  await recordAuditMany(trx, ctx, [input]);
}

/** Records several events of one actor in one statement per 500 (bulk imports). */
export async function recordAuditMany(
  trx: Tx,
  ctx: Pick<ServiceContext, 'clock' | 'actor'>,
  inputs: readonly AuditInput[],
): Promise<void> {
  if (inputs.length === 0) return;
  const actor = actorColumns(ctx.actor);
  const sector = await actorSector(trx, ctx.actor);
  const token = ctx.actor.kind === 'member' ? ctx.actor.tokenId : undefined;
  const at = isoTime(ctx.clock.now());
  const rows = [];
  for (const input of inputs) {
    const details = token !== undefined ? { ...input.details, tokenId: token } : (input.details ?? {});
    rows.push({
      id: newOrderedId('evt'),
      at,
      actor_type: actor.type,
      actor_id: actor.id,
      actor_org_id: actor.orgId,
      actor_org_kind: sector.kind,
      actor_org_role: sector.role,
      action: input.action,
      subject_type: input.subjectType,
      subject_id: input.subjectId,
      // No await when the caller names the organization: bulk imports record one event per object.
      subject_org_id: input.subjectOrgId !== undefined ? input.subjectOrgId : await subjectOrg(trx, input),
      details: canonicalJson(details),
    });
  }
  await insertMany(trx, 'audit_events', rows, 500);
}
