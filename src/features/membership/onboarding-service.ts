import { isoTime } from '../../core/clock.ts';
import { TabellaError } from '../../core/errors.ts';
import { sha256Hex } from '../../core/secrets.ts';
import { recordAudit } from '../audit/record.ts';
import type { Executor, ServiceContext } from '../context.ts';
import { findInvitation, spendInvitation } from './credential-store.ts';
import { freeLapsedAddress } from './invitation-service.ts';
import { openInvitationOf } from './invitation-store.ts';
import { writeNewMember } from './member-service.ts';
import { getMember, operatorAdminExists, updateMember } from './member-store.ts';
import { checkOrgInput, writeNewOrg } from './org-service.ts';
import { unsafeGetOrg } from './org-store.ts';
import { assertAcceptablePassword, hashPassword } from './password.ts';
import { beginSecretAttempt } from './secret-attempt.ts';
import { type IssuedSession, issueSession } from './session-service.ts';
import { removeLocalSetupCode, setupCodeMatches, spendSetupCode } from './setup-code.ts';
import { checkEmail, checkName } from './validate.ts';
import type { Member, Organization } from './views.ts';

export interface PersonInput {
  readonly email: string;
  readonly displayName: string;
  readonly password: string;
}

export async function setupNeeded(ctx: ServiceContext): Promise<boolean> {
  return !(await operatorAdminExists(ctx.db));
}

/**
 * Serializes first-run writers (setup, the demo seed) before they check that no administrator
 * exists. Checking alone is a race on PostgreSQL: under READ COMMITTED two setups both find none
 * and both commit an operator organization. Upserting one settings row takes its lock until commit,
 * so a second setup waits here and its next statement sees the first one's administrator.
 * SQLite serializes writers anyway.
 */
export async function lockFirstRun(trx: Executor, now: number): Promise<void> {
  const at = isoTime(now);
  await trx
    .insertInto('settings')
    .values({ key: 'first-run.lock', value: at })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: at }))
    .execute();
}

/**
 * Checks the one-time setup code (setup-code.ts) of an HTTP setup. Each check is counted against
 * the client address's budget of failed secret checks (secret-attempt.ts) before the code is
 * looked at, so guessing stops at `429 RATE_LIMITED`; a wrong code is `403 SETUP_CODE_INVALID`
 * and audited as `setup.fail`. Once setup is done every code is answered `409 SETUP_ALREADY_DONE`.
 */
async function checkSetupCode(ctx: ServiceContext, given: string | undefined): Promise<void> {
  if (await operatorAdminExists(ctx.db))
    throw new TabellaError('SETUP_ALREADY_DONE', 'this instance is already set up');
  const attempt = await beginSecretAttempt(ctx, undefined);
  if (given !== undefined && (await setupCodeMatches(ctx.db, given))) {
    await attempt.succeeded(ctx.db);
    return;
  }
  await ctx.db.transaction().execute(async (trx) => {
    await recordAudit(trx, ctx, {
      action: 'setup.fail',
      subjectType: 'instance',
      subjectId: null,
      details: { reason: given === undefined ? 'no setup code' : 'wrong setup code' },
    });
  });
  await attempt.failed('setup.fail', 'wrong setup code');
  throw new TabellaError('SETUP_CODE_INVALID', 'setupCode: not the setup code this server printed', {
    fields: ['setupCode'],
  });
}

/**
 * First-run setup: the operator organization (role isac-operator, vetted) and its first admin, who
 * is signed in and must enroll MFA next. It can run once: the check and the writes share one
 * transaction behind {@link lockFirstRun}, so of two racing setups the second is SETUP_ALREADY_DONE.
 * Over HTTP it needs the one-time setup code; the CLI (a local operator) does not. Completing it
 * spends the code: its hash in the same transaction, this node's file after commit.
 */
export async function completeSetup(
  ctx: ServiceContext,
  input: {
    readonly organization: {
      readonly name: string;
      readonly kind: string;
      readonly jurisdiction?: string | null | undefined;
    };
    readonly admin: PersonInput;
    /** Required unless the actor is the CLI. Attacker-controlled. */
    readonly setupCode?: string | undefined;
  },
): Promise<IssuedSession> {
  const org = checkOrgInput({ ...input.organization, role: 'isac-operator' }, 'organization.');
  const email = checkEmail(input.admin.email, 'admin.email');
  const displayName = checkName(input.admin.displayName, 'admin.displayName');
  assertAcceptablePassword(input.admin.password, 'admin.password');
  const byCode = ctx.actor.kind !== 'cli';
  if (byCode) await checkSetupCode(ctx, input.setupCode);
  const passwordHash = await hashPassword(input.admin.password);
  const now = ctx.clock.now();
  const issued = await ctx.db.transaction().execute(async (trx) => {
    await lockFirstRun(trx, now);
    if (await operatorAdminExists(trx))
      throw new TabellaError('SETUP_ALREADY_DONE', 'this instance is already set up');
    // Checked again behind the lock: `tabella setup-code` may have replaced the code meanwhile.
    if (byCode && !(await setupCodeMatches(trx, input.setupCode ?? '')))
      throw new TabellaError('SETUP_CODE_INVALID', 'setupCode: not the setup code in force', {
        fields: ['setupCode'],
      });
    await spendSetupCode(trx);
    const organization = await writeNewOrg(trx, now, org, 'vetted', true, 'organization.');
    await freeLapsedAddress(trx, ctx, email);
    const member = await writeNewMember(
      trx,
      now,
      {
        orgId: organization.id,
        email,
        displayName,
        roles: ['admin'],
        tier: 2,
        status: 'active',
        passwordHash,
      },
      'admin.',
    );
    await recordAudit(trx, ctx, {
      action: 'setup.complete',
      subjectType: 'organization',
      subjectId: organization.id,
      details: { adminId: member.id },
    });
    const memberRow = await getMember(trx, member.id);
    const orgRow = await unsafeGetOrg(trx, organization.id);
    if (memberRow === undefined || orgRow === undefined)
      throw new TabellaError('INTERNAL', 'setup rows vanished');
    return issueSession(trx, ctx, { member: memberRow, org: orgRow }, false);
  });
  removeLocalSetupCode(ctx.config.dataDir);
  return issued;
}

/** Anyone may apply to join: the organization lands as pending, the applicant as its first admin. */
export async function applyToJoin(
  ctx: ServiceContext,
  input: {
    readonly organization: {
      readonly name: string;
      readonly kind: string;
      readonly role: string;
      readonly jurisdiction?: string | null | undefined;
    };
    readonly applicant: PersonInput;
  },
): Promise<{ organization: Organization; member: Member }> {
  const org = checkOrgInput(input.organization, 'organization.');
  if (org.role === 'isac-operator') {
    throw new TabellaError('VALIDATION_FAILED', 'organization.role: the operator is created at setup', {
      fields: ['organization.role'],
    });
  }
  const email = checkEmail(input.applicant.email, 'applicant.email');
  const displayName = checkName(input.applicant.displayName, 'applicant.displayName');
  assertAcceptablePassword(input.applicant.password, 'applicant.password');
  const passwordHash = await hashPassword(input.applicant.password);
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const organization = await writeNewOrg(trx, now, org, 'pending', false, 'organization.');
    await freeLapsedAddress(trx, ctx, email);
    const member = await writeNewMember(
      trx,
      now,
      {
        orgId: organization.id,
        email,
        displayName,
        roles: ['admin'],
        // Tier 2: the applicant speaks for the organization, and nobody raises their own tier, so a
        // tier-1 first admin could never read what partners send it as TLP:RED (policy/visibility.ts).
        tier: 2,
        status: 'active',
        passwordHash,
      },
      'applicant.',
    );
    await recordAudit(trx, ctx, {
      action: 'org.apply',
      subjectType: 'organization',
      subjectId: organization.id,
      details: { kind: org.kind, role: org.role, jurisdiction: org.jurisdiction, applicantId: member.id },
    });
    return { organization, member };
  });
}

async function liveInvitation(ctx: ServiceContext, secret: string) {
  const found = await findInvitation(ctx.db, sha256Hex(secret));
  if (
    found === undefined ||
    found.invitation.used_at !== null ||
    found.invitation.expires_at <= isoTime(ctx.clock.now()) ||
    found.member.status !== 'invited' ||
    // Only the newest link works: a re-sent invitation replaces the earlier ones.
    (await openInvitationOf(ctx.db, found.member.id))?.id !== found.invitation.id
  ) {
    throw new TabellaError('INVITATION_INVALID', 'this invitation is spent, expired or unknown');
  }
  return found;
}

export async function describeInvitation(ctx: ServiceContext, secret: string) {
  const { member, org } = await liveInvitation(ctx, secret);
  return {
    email: member.email,
    displayName: member.display_name,
    organizationName: org.name,
    mfaRequired: member.roles.includes('"admin"'),
  };
}

/** Accepting sets the password, activates the member and signs them in; the link is then spent. */
export async function acceptInvitation(
  ctx: ServiceContext,
  secret: string,
  input: { readonly password: string; readonly displayName?: string | undefined },
): Promise<IssuedSession> {
  assertAcceptablePassword(input.password);
  const displayName =
    input.displayName === undefined ? undefined : checkName(input.displayName, 'displayName');
  const found = await liveInvitation(ctx, secret);
  const passwordHash = await hashPassword(input.password);
  const now = isoTime(ctx.clock.now());
  return ctx.db.transaction().execute(async (trx) => {
    if (!(await spendInvitation(trx, found.invitation.id, now))) {
      throw new TabellaError('INVITATION_INVALID', 'this invitation is spent, expired or unknown');
    }
    await updateMember(trx, found.member.id, {
      password_hash: passwordHash,
      status: 'active',
      updated_at: now,
      ...(displayName === undefined ? {} : { display_name: displayName }),
    });
    const member = await getMember(trx, found.member.id);
    if (member === undefined) throw new TabellaError('INVITATION_INVALID', 'the invited member is gone');
    await recordAudit(trx, ctx, { action: 'member.activate', subjectType: 'member', subjectId: member.id });
    return issueSession(trx, ctx, { member, org: found.org }, false);
  });
}
