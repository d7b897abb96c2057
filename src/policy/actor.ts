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
      readonly tier: AccessTier;
      readonly via: 'session' | 'token';
      readonly tokenId?: string;
    }
  | { readonly kind: 'cli' }
  | { readonly kind: 'anonymous' };

export type MemberActor = Extract<Actor, { kind: 'member' }>;
