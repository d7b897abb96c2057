import type { Selectable } from 'kysely';
import type { ApiTokensTable, MembersTable, OrganizationsTable } from '../../db/schema.ts';
import {
  type AccessTier,
  type MemberRole,
  type MemberStatus,
  type OrgKind,
  type OrgRole,
  type OrgStatus,
  TOKEN_SCOPES,
  type TokenScope,
} from '../../policy/index.ts';

/** The public shapes of membership resources (docs/api.md). Secrets never appear here. */
export interface Organization {
  readonly id: string;
  readonly name: string;
  readonly kind: OrgKind;
  readonly role: OrgRole;
  readonly jurisdiction: string | null;
  readonly status: OrgStatus;
  readonly isOperator: boolean;
  readonly createdAt: string;
  /**
   * A rename waiting for an operator admin's approval (issue 11 §3); shown only to the
   * organization's own members and the operator's admins.
   */
  readonly pendingRename?: PendingRename;
}

export interface PendingRename {
  readonly name: string;
  readonly requestedAt: string;
}

export interface Member {
  readonly id: string;
  readonly orgId: string;
  readonly email: string;
  readonly displayName: string;
  readonly roles: MemberRole[];
  readonly tier: AccessTier;
  readonly status: MemberStatus;
  readonly mfaEnabled: boolean;
  readonly createdAt: string;
  /** An invited member's open invitation (rosters and member answers only). */
  readonly invitation?: MemberInvitation;
}

export interface MemberInvitation {
  readonly createdAt: string;
  readonly expiresAt: string;
  /** Past `expiresAt`: the link no longer works, an admin re-sends or revokes it. */
  readonly expired: boolean;
}

export interface Token {
  readonly id: string;
  readonly memberId: string;
  readonly name: string;
  readonly prefix: string;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
  readonly scopes: TokenScope[];
  readonly expiresAt: string | null;
}

// Rows only ever hold values the services wrote after validation, so the casts narrow, not guess.
export function toOrganization(row: Omit<Selectable<OrganizationsTable>, 'updated_at'>): Organization {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind as OrgKind,
    role: row.role as OrgRole,
    jurisdiction: row.jurisdiction,
    status: row.status as OrgStatus,
    isOperator: row.is_operator === 1,
    createdAt: row.created_at,
  };
}

/** A token's stored scopes; anything unreadable or unknown grants nothing (deny by default). */
export function parseScopes(json: string): TokenScope[] {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return [];
  }
  return Array.isArray(value) ? TOKEN_SCOPES.filter((s) => value.includes(s)) : [];
}

export function parseRoles(json: string): MemberRole[] {
  return JSON.parse(json) as MemberRole[];
}

export function toMember(
  row: Pick<
    Selectable<MembersTable>,
    'id' | 'org_id' | 'email' | 'display_name' | 'roles' | 'tier' | 'status' | 'mfa_enabled' | 'created_at'
  >,
): Member {
  return {
    id: row.id,
    orgId: row.org_id,
    email: row.email,
    displayName: row.display_name,
    roles: parseRoles(row.roles),
    tier: row.tier as AccessTier,
    status: row.status as MemberStatus,
    mfaEnabled: row.mfa_enabled === 1,
    createdAt: row.created_at,
  };
}

export function toToken(row: Selectable<ApiTokensTable>): Token {
  return {
    id: row.id,
    memberId: row.member_id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
    scopes: parseScopes(row.scopes),
    expiresAt: row.expires_at,
  };
}
