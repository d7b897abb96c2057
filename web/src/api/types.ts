// Wire types of the Tabella HTTP API v1 (docs/api.md). Every string in these objects that a
// person typed (names, e-mails) is attacker-controlled: render it as text only.

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

export type OrgStatus = 'pending' | 'vetted' | 'suspended';

export const MEMBER_ROLES = ['admin', 'analyst', 'responder', 'official', 'auditor'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

export type MemberStatus = 'invited' | 'active' | 'suspended';
export type Tier = 1 | 2;

export interface Organization {
  readonly id: string;
  readonly name: string;
  readonly kind: OrgKind;
  readonly role: OrgRole;
  readonly jurisdiction: string | null;
  readonly status: OrgStatus;
  readonly isOperator: boolean;
  readonly createdAt: string;
  /** A rename waiting for an operator admin (shown to the organization and the operator's admins). */
  readonly pendingRename?: { readonly name: string; readonly requestedAt: string };
}

export interface Member {
  readonly id: string;
  readonly orgId: string;
  readonly email: string;
  readonly displayName: string;
  readonly roles: readonly MemberRole[];
  readonly tier: Tier;
  readonly status: MemberStatus;
  readonly mfaEnabled: boolean;
  readonly createdAt: string;
  /** An invited member's open invitation: re-send it when lost or expired. */
  readonly invitation?: {
    readonly createdAt: string;
    readonly expiresAt: string;
    readonly expired: boolean;
  };
}

/** What an API token may be used for (docs/api.md "Token scopes"). */
export const TOKEN_SCOPES = ['read', 'share', 'feeds', 'admin'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];
export const TOKEN_SCOPE_LABELS: Readonly<Record<TokenScope, { label: string; hint: string }>> = {
  read: { label: 'Read', hint: 'browse intelligence and the API, pull TAXII' },
  share: { label: 'Share', hint: 'share, relay and delete intelligence, manage sharing groups, TAXII add' },
  feeds: { label: 'Feeds', hint: 'exports and TAXII pulls only; the only kind a URL may carry' },
  admin: { label: 'Administer', hint: 'members, organizations, tokens — as far as your roles allow' },
};

export interface Token {
  readonly id: string;
  readonly name: string;
  readonly prefix: string;
  readonly memberId: string;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
  readonly scopes: readonly TokenScope[];
  readonly expiresAt: string | null;
}

export interface CreatedToken extends Token {
  /** The secret, shown this once. */
  readonly token: string;
}

export interface Session {
  readonly member: Member;
  readonly organization: Organization;
  readonly csrfToken: string;
  readonly mfaEnrollmentRequired: boolean;
}

export interface MfaEnrollment {
  readonly secret: string;
  readonly otpauthUri: string;
  readonly qrSvg: string;
}

export interface Invitation {
  readonly email: string;
  readonly displayName: string;
  readonly organizationName: string;
  readonly mfaRequired: boolean;
}

/** A reset link as its holder sees it (GET /api/v1/resets/{token}). */
export interface ResetLink {
  readonly email: string;
  readonly displayName: string;
  readonly organizationName: string;
  readonly password: boolean;
  readonly mfa: boolean;
  readonly expiresAt: string;
  readonly mfaRequired: boolean;
}

/** A reset link an administrator just issued, shown once. */
export interface IssuedReset {
  readonly memberId: string;
  readonly resetUrl: string;
  readonly expiresAt: string;
  readonly password: boolean;
  readonly mfa: boolean;
  readonly revokeTokens: boolean;
  readonly sessionsEnded: number;
  readonly tokensRevoked: number;
}

export interface RecoveryCodeStatus {
  readonly mfaEnabled: boolean;
  readonly remaining: number;
}

export interface Invited {
  readonly member: Member;
  readonly invitationUrl: string;
}

export interface List<T> {
  readonly items: readonly T[];
}

export const ORG_ROLE_LABELS: Readonly<Record<OrgRole, string>> = {
  'isac-operator': 'ISAC operator',
  'election-office': 'Election office',
  'cyber-agency': 'Cyber agency',
  'federal-partner': 'Federal partner',
  vendor: 'Vendor',
  'security-firm': 'Security firm',
  platform: 'Platform',
  researcher: 'Researcher',
  oversight: 'Oversight',
};

export const ORG_KIND_LABELS: Readonly<Record<OrgKind, string>> = {
  government: 'Government',
  private: 'Private',
  nonprofit: 'Nonprofit',
};

export const MEMBER_ROLE_LABELS: Readonly<Record<MemberRole, string>> = {
  admin: 'Admin',
  analyst: 'Analyst',
  responder: 'Responder',
  official: 'Official',
  auditor: 'Auditor',
};

/** A witness of the transparency log: an oversight body's key, and how far it has cosigned. */
export interface LogWitness {
  readonly keyId: string;
  readonly name: string;
  readonly vkey: string;
  readonly orgId: string;
  readonly orgName: string;
  readonly cosignedSize: number | null;
  readonly cosignedAt: string | null;
}

/** `GET /api/v1/audit/log`: the transparency log as of its latest signed checkpoint. */
export interface LogInfo {
  readonly origin: string;
  readonly size: number;
  readonly rootHash: string;
  /** The signed checkpoint note (C2SP signed-note text). */
  readonly checkpoint: string;
  /** The log's verifier key (C2SP signed-note vkey). */
  readonly vkey: string;
  readonly witnesses: readonly LogWitness[];
}

/** One audit event. `details` is free-form JSON and may hold attacker-controlled text. */
export interface AuditEvent {
  readonly id: string;
  readonly at: string;
  readonly actorType: string;
  readonly actorId: string | null;
  readonly actorOrgId: string | null;
  /** The kind and role of the actor's organization when the event was recorded. */
  readonly actorOrgKind: string | null;
  readonly actorOrgRole: string | null;
  readonly action: string;
  readonly subjectType: string;
  readonly subjectId: string | null;
  readonly subjectOrgId: string | null;
  readonly details: Readonly<Record<string, unknown>>;
  /** Position in the transparency log; null until the sequencer has taken it (seconds). */
  readonly logIndex: number | null;
}

/** A page of the audit trail, newest first; `next` is the cursor of the following page. */
export interface AuditEventPage {
  readonly items: readonly AuditEvent[];
  readonly next: string | null;
}
