export type { Actor, MemberActor } from './actor.ts';
export { type AuditScope, auditScope, canOperateWitness } from './audit.ts';
export { breadth, DISTRIBUTION_KINDS, type Distribution, type DistributionKind } from './distribution.ts';
export {
  canChangeOrgStatus,
  canEditOrgProfile,
  canManageInvitationsOf,
  canManageMembersOf,
  canResetMember,
  canSeeMembersOf,
  canSeeOrg,
  isOperatorAdmin,
} from './membership.ts';
export {
  granularTlpOf,
  type HoldsMarking,
  type MarkedObject,
  type MarkingsRead,
  markObject,
  nonTlpMarkingRefs,
  readMarkings,
} from './object-tlp.ts';
export { canRelay, canShare, checkShare, type ShareRefusal } from './sharing.ts';
export {
  type EffectiveTlp,
  isTlp,
  stricterTlp,
  TLPS,
  type Tlp,
  tlpMarkingId,
  tlpOfMarkingId,
} from './tlp.ts';
export { ALL_SCOPES, scopesWithin, TOKEN_SCOPES, type TokenScope, tokenAllows } from './token-scopes.ts';
export {
  agreementAllows,
  type Condition,
  evaluateCondition,
  type LineageFacts,
  lineagePreferred,
  presentedVersions,
  type VisibilityFacts,
  visibilityRule,
} from './visibility.ts';
export * from './vocabulary.ts';
