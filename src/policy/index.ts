export type { Actor, MemberActor } from './actor.ts';
export { type AuditScope, auditScope, canOperateWitness } from './audit.ts';
export {
  canChangeOrgStatus,
  canEditOrgProfile,
  canManageMembersOf,
  canSeeMembersOf,
  canSeeOrg,
  isOperatorAdmin,
} from './membership.ts';
export * from './vocabulary.ts';
