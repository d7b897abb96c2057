import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import type { SharingGroup } from '../api/intel.ts';
import type { List, Organization } from '../api/types.ts';

// Queries shared by the intelligence and sharing-group pages.

/** The same cache entry as the Organizations page. */
export const ORG_DIRECTORY_KEY = ['orgs'] as const;
export const GROUPS_KEY = ['groups'] as const;
export const INTEL_KEY = ['intel'] as const;

/** The organization directory: vetted organizations and one's own (operator admins: all). */
export function useOrgDirectory() {
  return useQuery({
    queryKey: ORG_DIRECTORY_KEY,
    queryFn: () => api.get<List<Organization>>('/api/v1/orgs'),
    staleTime: 60_000,
  });
}

/** The sharing groups the actor's organization belongs to (owned or as a member). */
export function useGroups() {
  return useQuery({
    queryKey: GROUPS_KEY,
    queryFn: () => api.get<List<SharingGroup>>('/api/v1/groups'),
  });
}

/** Organization names by id, for ids the directory knows. */
export function orgNames(orgs: readonly Organization[] | undefined): ReadonlyMap<string, string> {
  return new Map((orgs ?? []).map((o) => [o.id, o.name]));
}
