import type { Actor } from './actor.ts';

/**
 * What an API token may be used for (issue 11 §5, docs/api.md "Token scopes"). A route declares the
 * scopes that let a token call it (any one of them suffices); a token outside them is refused with
 * `403 TOKEN_SCOPE`. Scopes only ever narrow: the member's roles, organization and the visibility
 * rule still decide every request, so a token never does more than its member could.
 * - `read`: reading the REST API (every GET but exports) and TAXII (discovery, collections,
 *   objects, manifests, versions, statuses);
 * - `share`: writing intelligence — sharing, deleting, relaying, sharing groups, TAXII add and delete;
 * - `feeds`: exports (the only scope accepted as `?token=`) and TAXII pulls (discovery, collections,
 *   objects, manifests, versions): what a firewall, DNS filter or SIEM polls;
 * - `admin`: membership, organization and account administration (members, organizations, tokens,
 *   signing out everywhere, transparency-log witnesses).
 * Browser sessions are not scoped: they may do whatever the member may.
 */
export const TOKEN_SCOPES = ['read', 'share', 'feeds', 'admin'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/** The scopes of tokens made before scopes existed (migration 013): everything they could do. */
export const ALL_SCOPES: readonly TokenScope[] = TOKEN_SCOPES;

/** Whether the actor may call a route needing any of `needed`; only token actors are scoped. */
export function tokenAllows(actor: Actor, needed: readonly TokenScope[]): boolean {
  if (actor.kind !== 'member' || actor.via !== 'token') return true;
  const granted = actor.scopes ?? [];
  return needed.some((s) => granted.includes(s));
}

/** Whether a token with `granted` may make a token with `wanted` (never wider than itself). */
export function scopesWithin(wanted: readonly TokenScope[], granted: readonly TokenScope[]): boolean {
  return wanted.every((s) => granted.includes(s));
}
