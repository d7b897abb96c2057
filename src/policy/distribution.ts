/** Who an object is distributed to (issue 4 §3), before TLP narrows it. */
export type Distribution =
  | { readonly kind: 'org' }
  | { readonly kind: 'orgs'; readonly orgIds: readonly string[] }
  /** `futureMembers`: organizations that join the group later may read this too (default: no). */
  | { readonly kind: 'group'; readonly groupId: string; readonly futureMembers?: boolean | undefined }
  | { readonly kind: 'community' }
  | { readonly kind: 'public' };

export type DistributionKind = Distribution['kind'];
export const DISTRIBUTION_KINDS: readonly DistributionKind[] = [
  'org',
  'orgs',
  'group',
  'community',
  'public',
];

/** How wide each kind reaches, for "a relay can only narrow". */
const BREADTH: Readonly<Record<DistributionKind, number>> = {
  org: 0,
  orgs: 1,
  group: 1,
  community: 2,
  public: 3,
};

export function breadth(kind: DistributionKind): number {
  return BREADTH[kind];
}
