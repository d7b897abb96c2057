import type { Actor } from './actor.ts';
import type { OrgStatus } from './vocabulary.ts';

/**
 * Membership decisions (issue 2). Pure functions of the actor and the target; the stores apply
 * them, and a denied read is reported as "not found" by the caller (deny by default, 404 not 403).
 */

/** An admin of the organization that operates this hub. */
export function isOperatorAdmin(actor: Actor): boolean {
  switch (actor.kind) {
    case 'member':
      return actor.isOperatorOrg && actor.orgStatus === 'vetted' && actor.roles.includes('admin');
    case 'cli':
      return true;
    case 'anonymous':
      return false;
  }
}

/** Whether the actor may see an organization in the directory. */
export function canSeeOrg(actor: Actor, org: { readonly id: string; readonly status: OrgStatus }): boolean {
  switch (actor.kind) {
    case 'member':
      if (actor.orgId === org.id || isOperatorAdmin(actor)) return true;
      return actor.orgStatus === 'vetted' && org.status === 'vetted';
    case 'cli':
      return true;
    case 'anonymous':
      return false;
  }
}

/** Whether the actor may read an organization's member roster. */
export function canSeeMembersOf(actor: Actor, orgId: string): boolean {
  switch (actor.kind) {
    case 'member':
      return actor.orgId === orgId || isOperatorAdmin(actor);
    case 'cli':
      return true;
    case 'anonymous':
      return false;
  }
}

/** Whether the actor may invite, change and suspend an organization's members: its own admins only. */
export function canManageMembersOf(actor: Actor, orgId: string): boolean {
  switch (actor.kind) {
    case 'member':
      return actor.orgId === orgId && actor.roles.includes('admin');
    case 'cli':
      return true;
    case 'anonymous':
      return false;
  }
}

/** Whether the actor may change an organization's vetting status: operator admins only. */
export function canChangeOrgStatus(actor: Actor): boolean {
  return isOperatorAdmin(actor);
}

/** Whether the actor may edit an organization's profile (name, jurisdiction). */
export function canEditOrgProfile(actor: Actor, orgId: string): boolean {
  return isOperatorAdmin(actor) || canManageMembersOf(actor, orgId);
}

/**
 * Whether the actor may issue a reset link for a member's password or MFA (issue 11): the
 * organization's own admins for its members who are not admins, and the operator's admins for
 * anyone — an organization's admins included. Nobody resets their own account this way.
 */
export function canResetMember(
  actor: Actor,
  target: { readonly id: string; readonly orgId: string; readonly isAdmin: boolean },
): boolean {
  if (actor.kind === 'member' && actor.memberId === target.id) return false;
  if (isOperatorAdmin(actor)) return true;
  return canManageMembersOf(actor, target.orgId) && !target.isAdmin;
}

/**
 * Whether the actor may invite into an organization and re-send or revoke its invitations: its own
 * admins, and the operator's admins while the organization has no active administrator — its
 * first, or after its last was suspended — so that no organization is left without a way in.
 * The operator invites administrators only; the organization's admins invite the rest.
 */
export function canManageInvitationsOf(actor: Actor, orgId: string, orgHasActiveAdmin: boolean): boolean {
  return canManageMembersOf(actor, orgId) || (isOperatorAdmin(actor) && !orgHasActiveAdmin);
}
