/** The closed vocabularies of membership (issue 2 §1–2). */
export const ORG_KINDS = ['government', 'private', 'nonprofit'] as const;
export type OrgKind = (typeof ORG_KINDS)[number];

export const ORG_ROLES = [
  'isac-operator',
  'election-office',
  'cyber-agency',
  'federal-partner',
  'vendor',
  'security-firm',
  'platform',
  'researcher',
  'oversight',
] as const;
export type OrgRole = (typeof ORG_ROLES)[number];

export const ORG_STATUSES = ['pending', 'vetted', 'suspended'] as const;
export type OrgStatus = (typeof ORG_STATUSES)[number];

export const MEMBER_ROLES = ['admin', 'analyst', 'responder', 'official', 'auditor'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

export const MEMBER_STATUSES = ['invited', 'active', 'suspended'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

export const ACCESS_TIERS = [1, 2] as const;
export type AccessTier = (typeof ACCESS_TIERS)[number];

export function isOneOf<T extends string | number>(list: readonly T[], value: unknown): value is T {
  return (list as readonly unknown[]).includes(value);
}
