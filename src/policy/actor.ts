import type { TokenScope } from './token-scopes.ts';
import type { AccessTier, MemberRole, OrgRole, OrgStatus } from './vocabulary.ts';

/**
 * Who is acting. A discriminated union: every decision switches on `kind` exhaustively.
 * - `member`: a signed-in person or a machine using one of their API tokens;
 * - `cli`: the administrative command line, which acts on the database directly;
 * - `anonymous`: nobody signed in (first-run setup, applications, invitations).
 */
export type Actor =
  | {
      readonly kind: 'member';
      readonly memberId: string;
      readonly orgId: string;
      readonly orgStatus: OrgStatus;
      readonly isOperatorOrg: boolean;
      /** The role of the member's organization in the partnership (oversight, vendor, …). */
      readonly orgRole: OrgRole;
      readonly roles: readonly MemberRole[];
      /**
       * Access tier: TLP:AMBER+STRICT and TLP:RED shared by other organizations reach tier-2 members
       * only (policy/visibility.ts, docs/sharing.md "Access tiers").
       */
      readonly tier: AccessTier;
      readonly via: 'session' | 'token';
      readonly tokenId?: string;
      /** `via: 'token'`: what the token may be used for (token-scopes.ts); sessions are unscoped. */
      readonly scopes?: readonly TokenScope[];
    }
  | { readonly kind: 'cli' }
  | { readonly kind: 'anonymous' };

export type MemberActor = Extract<Actor, { kind: 'member' }>;
