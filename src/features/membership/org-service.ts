import { isoTime } from '../../core/clock.ts';
import { forbidden, notFound } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { uniquely } from '../../db/unique-violation.ts';
import {
  canChangeOrgStatus,
  canEditOrgProfile,
  isOperatorAdmin,
  type OrgKind,
  type OrgRole,
  type OrgStatus,
} from '../../policy/index.ts';
import { recordAudit } from '../audit/record.ts';
import type { Executor, ServiceContext } from '../context.ts';
import { assertOrgNameFree, nameTaken } from './org-names.ts';
import {
  getVisibleOrg,
  insertOrg,
  listVisibleOrgs,
  putRenameRequest,
  renameRequestsOf,
  takeRenameRequest,
  updateOrg,
} from './org-store.ts';
import { checkJurisdiction, checkName, checkOrgKind, checkOrgRole, checkOrgStatus } from './validate.ts';
import { type Organization, toOrganization } from './views.ts';

export interface OrgInput {
  readonly name: string;
  readonly kind: string;
  readonly role: string;
  readonly jurisdiction?: string | null | undefined;
  readonly status?: string | undefined;
}

export interface CheckedOrg {
  readonly name: string;
  readonly kind: OrgKind;
  readonly role: OrgRole;
  readonly jurisdiction: string | null;
}

export function checkOrgInput(input: OrgInput, prefix = ''): CheckedOrg {
  return {
    name: checkName(input.name, `${prefix}name`),
    kind: checkOrgKind(input.kind, `${prefix}kind`),
    role: checkOrgRole(input.role, `${prefix}role`),
    jurisdiction: checkJurisdiction(input.jurisdiction, `${prefix}jurisdiction`),
  };
}

/**
 * Inserts an organization row after checking its name is free and confusable with no other's.
 * Callers own the transaction.
 */
export async function writeNewOrg(
  db: Executor,
  now: number,
  org: CheckedOrg,
  status: OrgStatus,
  isOperator = false,
  fieldPrefix = '',
): Promise<Organization> {
  const field = `${fieldPrefix}name`;
  await assertOrgNameFree(db, now, org.name, field);
  const at = isoTime(now);
  const row = {
    id: newId('org'),
    name: org.name,
    kind: org.kind,
    role: org.role,
    jurisdiction: org.jurisdiction,
    status,
    is_operator: isOperator ? 1 : 0,
    created_at: at,
    updated_at: at,
  };
  // The id is random, so the one unique index this insert can violate is the name's.
  await uniquely(insertOrg(db, row), (cause) => nameTaken(field, cause));
  return toOrganization(row);
}

/**
 * Adds each organization's pending rename for those who may see it: the organization's own members
 * and the operator's admins. Other organizations see only the name in force.
 */
async function withPendingRenames(
  ctx: ServiceContext,
  orgs: readonly Organization[],
): Promise<Organization[]> {
  const mine = (id: string) =>
    isOperatorAdmin(ctx.actor) || (ctx.actor.kind === 'member' && ctx.actor.orgId === id);
  const requests = await renameRequestsOf(
    ctx.db,
    orgs.filter((o) => mine(o.id)).map((o) => o.id),
  );
  const byOrg = new Map(requests.map((r) => [r.org_id, r]));
  return orgs.map((o) => {
    const r = byOrg.get(o.id);
    return r === undefined ? o : { ...o, pendingRename: { name: r.name, requestedAt: r.requested_at } };
  });
}

export async function listOrgs(
  ctx: ServiceContext,
  filter: { status?: string | undefined; renamePending?: boolean | undefined } = {},
) {
  if (filter.status !== undefined) checkOrgStatus(filter.status);
  const rows = await listVisibleOrgs(ctx.db, ctx.actor, filter);
  const orgs = await withPendingRenames(ctx, rows.map(toOrganization));
  // Only those who may see pending renames may filter by them.
  return filter.renamePending === true ? orgs.filter((o) => o.pendingRename !== undefined) : orgs;
}

export async function getOrg(ctx: ServiceContext, id: string): Promise<Organization> {
  const row = await getVisibleOrg(ctx.db, ctx.actor, id);
  if (row === undefined) throw notFound('organization');
  const [org] = await withPendingRenames(ctx, [toOrganization(row)]);
  if (org === undefined) throw notFound('organization');
  return org;
}

/** Operator admins (and the CLI) register an organization directly, vetted or not. */
export async function createOrg(ctx: ServiceContext, input: OrgInput): Promise<Organization> {
  if (!isOperatorAdmin(ctx.actor)) throw forbidden('only operator administrators create organizations');
  const checked = checkOrgInput(input);
  const status = input.status === undefined ? 'pending' : checkOrgStatus(input.status);
  return ctx.db.transaction().execute(async (trx) => {
    const org = await writeNewOrg(trx, ctx.clock.now(), checked, status);
    await recordAudit(trx, ctx, {
      action: 'org.create',
      subjectType: 'organization',
      subjectId: org.id,
      details: { kind: org.kind, role: org.role, jurisdiction: org.jurisdiction, status },
    });
    return org;
  });
}

export interface OrgPatch {
  readonly name?: string | undefined;
  readonly jurisdiction?: string | null | undefined;
  readonly status?: string | undefined;
}

/**
 * Vets or suspends an organization (operator admins) or edits its profile. A new name applies at
 * once when an operator admin (or the CLI) gives it, or when the organization is not vetted yet
 * (it is vetted with its name anyway); an admin's rename of a vetted organization becomes a rename
 * request for an operator admin to approve or reject (org-rename-service.ts), so that a vetted
 * member cannot take on another identity unseen.
 */
export async function patchOrg(ctx: ServiceContext, id: string, patch: OrgPatch): Promise<Organization> {
  const current = await getOrg(ctx, id);
  const wantsProfile = patch.name !== undefined || patch.jurisdiction !== undefined;
  if (patch.status !== undefined && !canChangeOrgStatus(ctx.actor)) {
    throw forbidden('only operator administrators vet or suspend organizations');
  }
  if (wantsProfile && !canEditOrgProfile(ctx.actor, id))
    throw forbidden('not an administrator of this organization');
  const status = patch.status === undefined ? undefined : checkOrgStatus(patch.status);
  if (status !== undefined && current.isOperator && status !== 'vetted') {
    throw forbidden('the operator organization cannot be suspended or unvetted');
  }
  const checkedName = patch.name === undefined ? undefined : checkName(patch.name, 'name');
  const renaming = checkedName !== undefined && checkedName !== current.name;
  const needsApproval = renaming && !isOperatorAdmin(ctx.actor) && current.status === 'vetted';
  const name = renaming && !needsApproval ? checkedName : undefined;
  const jurisdiction = patch.jurisdiction === undefined ? undefined : checkJurisdiction(patch.jurisdiction);
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    if (renaming) await assertOrgNameFree(trx, now, checkedName, 'name', id);
    const changes = {
      ...(name === undefined ? {} : { name }),
      ...(jurisdiction === undefined ? {} : { jurisdiction }),
      ...(status === undefined ? {} : { status }),
    };
    // A concurrent rename to the same name passes the check and meets the unique index here.
    await uniquely(updateOrg(trx, id, { ...changes, updated_at: isoTime(now) }), (cause) =>
      nameTaken('name', cause),
    );
    let pendingRename = current.pendingRename;
    if (needsApproval) {
      const requestedBy = ctx.actor.kind === 'member' ? ctx.actor.memberId : 'cli';
      await putRenameRequest(trx, {
        org_id: id,
        name: checkedName,
        requested_by: requestedBy,
        requested_at: isoTime(now),
      });
      pendingRename = { name: checkedName, requestedAt: isoTime(now) };
      await recordAudit(trx, ctx, {
        action: 'org.rename.request',
        subjectType: 'organization',
        subjectId: id,
        details: { requestedBy },
      });
    } else if (name !== undefined && (await takeRenameRequest(trx, id)) !== undefined) {
      // A rename that applies at once settles any request still pending.
      pendingRename = undefined;
    }
    if (status !== undefined && status !== current.status) {
      // Suspension takes effect at once: no browser session of the organization's members survives
      // it, so vetting the organization again does not revive them (API tokens are refused while it
      // is suspended and work again after: docs/threat-model.md).
      const sessions =
        status === 'suspended'
          ? Number(
              (
                await trx
                  .deleteFrom('sessions')
                  .where('member_id', 'in', (eb) =>
                    eb.selectFrom('members').select('id').where('org_id', '=', id),
                  )
                  .executeTakeFirst()
              ).numDeletedRows,
            )
          : undefined;
      await recordAudit(trx, ctx, {
        action: 'org.status',
        subjectType: 'organization',
        subjectId: id,
        details: { from: current.status, to: status, ...(sessions === undefined ? {} : { sessions }) },
      });
    }
    const applied = Object.keys(changes).filter((k) => k !== 'status');
    if (applied.length > 0) {
      await recordAudit(trx, ctx, {
        action: 'org.update',
        subjectType: 'organization',
        subjectId: id,
        details: { fields: applied },
      });
    }
    const { pendingRename: _, ...rest } = current;
    return { ...rest, ...changes, ...(pendingRename === undefined ? {} : { pendingRename }) };
  });
}
