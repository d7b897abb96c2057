import { isoTime } from '../../core/clock.ts';
import { forbidden, notFound, TabellaError } from '../../core/errors.ts';
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
import { getVisibleOrg, insertOrg, listVisibleOrgs, orgNameTaken, updateOrg } from './org-store.ts';
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

/** The answer to a taken name, whether the check found it or the unique index did (a concurrent create). */
const nameTaken = (field: string, cause?: unknown) =>
  new TabellaError('ORG_NAME_TAKEN', 'an organization with this name exists', {
    fields: [field],
    ...(cause === undefined ? {} : { cause }),
  });

/** Inserts an organization row after checking its name is free. Callers own the transaction. */
export async function writeNewOrg(
  db: Executor,
  now: number,
  org: CheckedOrg,
  status: OrgStatus,
  isOperator = false,
  fieldPrefix = '',
): Promise<Organization> {
  const field = `${fieldPrefix}name`;
  if (await orgNameTaken(db, org.name)) throw nameTaken(field);
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

export async function listOrgs(ctx: ServiceContext, filter: { status?: string | undefined } = {}) {
  if (filter.status !== undefined) checkOrgStatus(filter.status);
  const rows = await listVisibleOrgs(ctx.db, ctx.actor, filter);
  return rows.map(toOrganization);
}

export async function getOrg(ctx: ServiceContext, id: string): Promise<Organization> {
  const row = await getVisibleOrg(ctx.db, ctx.actor, id);
  if (row === undefined) throw notFound('organization');
  return toOrganization(row);
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
  const name = patch.name === undefined ? undefined : checkName(patch.name, 'name');
  const jurisdiction = patch.jurisdiction === undefined ? undefined : checkJurisdiction(patch.jurisdiction);
  return ctx.db.transaction().execute(async (trx) => {
    if (name !== undefined && (await orgNameTaken(trx, name, id))) throw nameTaken('name');
    const changes = {
      ...(name === undefined ? {} : { name }),
      ...(jurisdiction === undefined ? {} : { jurisdiction }),
      ...(status === undefined ? {} : { status }),
    };
    // A concurrent rename to the same name passes the check and meets the unique index here.
    await uniquely(updateOrg(trx, id, { ...changes, updated_at: isoTime(ctx.clock.now()) }), (cause) =>
      nameTaken('name', cause),
    );
    if (status !== undefined && status !== current.status) {
      await recordAudit(trx, ctx, {
        action: 'org.status',
        subjectType: 'organization',
        subjectId: id,
        details: { from: current.status, to: status },
      });
    }
    if (wantsProfile) {
      await recordAudit(trx, ctx, {
        action: 'org.update',
        subjectType: 'organization',
        subjectId: id,
        details: { fields: Object.keys(changes).filter((k) => k !== 'status') },
      });
    }
    return { ...current, ...changes };
  });
}
