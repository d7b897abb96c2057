export { changePassword } from './account-service.ts';
export { addressKey } from './address-throttle.ts';
export { parseAuthorization } from './authorization-header.ts';
export { DEMO_PASSWORD, type DemoSignIn, seedDemo } from './demo-seed.ts';
export {
  type Invitation,
  inviteMember,
  resendInvitation,
  revokeInvitation,
} from './invitation-service.ts';
export { getMemberFor, listMembers, patchMember } from './member-service.ts';
export { confirmMfaEnrollment, disableMfa, startMfaEnrollment } from './mfa-service.ts';
export {
  acceptInvitation,
  applyToJoin,
  completeSetup,
  describeInvitation,
  setupNeeded,
} from './onboarding-service.ts';
export { approveRename, rejectRename } from './org-rename-service.ts';
export { createOrg, getOrg, listOrgs, patchOrg } from './org-service.ts';
export { recordedPublicUrl, recordPublicUrl } from './public-url.ts';
export { recoveryCodeStatus, regenerateRecoveryCodes } from './recovery-service.ts';
export { describeReset, type IssuedReset, issueReset, redeemReset } from './reset-service.ts';
export {
  type IssuedSession,
  resolveSession,
  type SessionView,
  signOut,
  signOutEverywhere,
} from './session-service.ts';
export { signIn } from './sign-in-service.ts';
export {
  authenticateToken,
  createToken,
  listTokens,
  type Principal,
  revokeTokenFor,
} from './token-service.ts';
export type { Member, Organization, Token } from './views.ts';
