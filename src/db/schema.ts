import type { Generated } from 'kysely';

/**
 * The database schema as Kysely sees it. Timestamps are RFC 3339 UTC strings with millisecond
 * precision (they sort correctly as text on both engines); booleans are 0/1 integers, so one set
 * of migrations serves SQLite and PostgreSQL alike.
 */
export interface OrganizationsTable {
  id: string;
  name: string;
  kind: string;
  role: string;
  jurisdiction: string | null;
  status: string;
  is_operator: number;
  created_at: string;
  updated_at: string;
}

/** A pending rename of a vetted organization, waiting for an operator admin (issue 11 §3). */
export interface OrgRenameRequestsTable {
  org_id: string;
  /** The requested name, already normalized (core/names.ts). */
  name: string;
  /** The member who asked. */
  requested_by: string;
  requested_at: string;
}

export interface MembersTable {
  id: string;
  org_id: string;
  email: string;
  display_name: string;
  /** JSON array of role names. */
  roles: string;
  tier: number;
  status: string;
  password_hash: string | null;
  mfa_secret: string | null;
  mfa_enabled: number;
  mfa_last_step: number;
  failed_logins: number;
  locked_until: string | null;
  created_at: string;
  updated_at: string;
}

export interface SessionsTable {
  /** SHA-256 of the session secret held in the cookie; the secret itself is never stored. */
  id: string;
  member_id: string;
  csrf_token: string;
  mfa_passed: number;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  absolute_expires_at: string;
}

export interface ApiTokensTable {
  id: string;
  member_id: string;
  name: string;
  /** SHA-256 of the token; the token is shown once and never stored. */
  token_hash: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  /** JSON array of TokenScope (policy/token-scopes.ts); tokens before migration 013 got all four. */
  scopes: string;
  /** After this instant the token is refused like a revoked one; null: never expires. */
  expires_at: string | null;
}

export interface InvitationsTable {
  id: string;
  member_id: string;
  token_hash: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

/** Issue 11: a member's recovery codes; each is stored as its SHA-256 and spent once. */
export interface RecoveryCodesTable {
  id: string;
  member_id: string;
  code_hash: string;
  created_at: string;
  used_at: string | null;
}

/**
 * Issue 11: a one-time link an administrator issued to reset a member's password and/or MFA.
 * `token_hash` is the SHA-256 of the link's secret; `revoked_at` is set when a newer link replaced it.
 */
export interface ResetLinksTable {
  id: string;
  member_id: string;
  token_hash: string;
  reset_password: number;
  reset_mfa: number;
  revoke_tokens: number;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  revoked_at: string | null;
}

export interface AuditEventsTable {
  id: string;
  at: string;
  actor_type: string;
  actor_id: string | null;
  actor_org_id: string | null;
  /** The actor's organization's kind and role when the event was recorded (its public sector). */
  actor_org_kind: string | null;
  actor_org_role: string | null;
  action: string;
  subject_type: string;
  subject_id: string | null;
  /** Canonical JSON of non-secret details. */
  details: string;
  /** The organization the subject belongs to (an organization, or a member's or token's). */
  subject_org_id: string | null;
  /** Position in the transparency log, once sequenced. */
  log_index: number | null;
  /** Random salt of the details digest published in the log (base64url). */
  salt: string | null;
}

export interface LogStateTable {
  id: number;
  size: number;
  root: string;
  checkpoint: string;
  updated_at: string;
}

/** The log's identity, recorded by the first node on the database (issue 11 §6); `id` is always 1. */
export interface LogIdentityTable {
  id: number;
  /** The log origin (C2SP tlog-checkpoint), also the signing key's name. */
  origin: string;
  /** The verifier key of the one key that signs this log's checkpoints. */
  vkey: string;
  recorded_at: string;
}

export interface LogTilesTable {
  level: number;
  idx: number;
  width: number;
  /** base64 of the tile's hashes. */
  data: string;
}

export interface LogBundlesTable {
  idx: number;
  width: number;
  /** base64 of the entry bundle. */
  data: string;
}

export interface LogCheckpointsTable {
  size: number;
  root: string;
  note: string;
  created_at: string;
}

export interface LogWitnessesTable {
  key_id: string;
  name: string;
  vkey: string;
  org_id: string;
  created_at: string;
}

export interface LogCosignaturesTable {
  key_id: string;
  size: number;
  signature: string;
  signed_at: number;
  received_at: string;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface IntelObjectsTable {
  row_id: string;
  stix_id: string;
  type: string;
  spec_version: string;
  created: string | null;
  modified: string | null;
  version_key: string;
  owner_org_id: string;
  date_added: string;
  source: string;
  tlp: string;
  distribution: string;
  group_id: string | null;
  /** When this version's lineage (stix_id, owner) started: its intel_lineages head (issue 9 §2). */
  lineage_at: string | null;
  /** 1: a group share that the group's future members may read too (issue 9 §4); 0 otherwise. */
  group_open: Generated<number>;
  revoked: number;
  deleted_at: string | null;
  /** Lower-cased searchable text (name, description, pattern, value). */
  search: string;
  data: string;
}

/** The head of each lineage of an id: one per (stix_id, owner organization), written once. */
export interface IntelLineagesTable {
  stix_id: string;
  owner_org_id: string;
  started_at: string;
}

export interface IntelRecipientsTable {
  row_id: string;
  org_id: string;
}

export interface SharingGroupsTable {
  id: string;
  name: string;
  owner_org_id: string;
  created_at: string;
  updated_at: string;
}

export interface SharingGroupMembersTable {
  group_id: string;
  org_id: string;
}

export interface IntelRelaysTable {
  stix_id: string;
  group_id: string;
  relayer_org_id: string;
  created_at: string;
}

/** When a relayed version entered a group's collection (its `date_added` there; issue 10 §3). */
export interface IntelRelayRowsTable {
  row_id: string;
  group_id: string;
  date_added: string;
}

/** TAXII 2.1 status resources (§4.3.1) of add-objects requests: totals; the lists are in parts. */
export interface TaxiiStatusesTable {
  id: string;
  org_id: string;
  member_id: string;
  collection_id: string;
  status: string;
  request_timestamp: string;
  updated_at: string;
  total_count: number;
  success_count: number;
  failure_count: number;
  pending_count: number;
}

/**
 * One chunk of a status (issue 10 §2): its objects' status-details as JSON lists, pending until
 * the chunk is done. A status resource is its parts in `seq` order.
 */
export interface TaxiiStatusPartsTable {
  status_id: string;
  seq: number;
  success_count: number;
  failure_count: number;
  pending_count: number;
  successes: string;
  failures: string;
  pendings: string;
}

/**
 * Failed secret checks per client address in one fixed window, shared by every node (issue 10).
 * `attempts` counts the window's failures plus the checks still in flight.
 */
export interface AuthThrottleTable {
  /** What `key` names: `address` (a client IP address). */
  scope: string;
  key: string;
  attempts: number;
  window_start: string;
}

export interface Database {
  organizations: OrganizationsTable;
  members: MembersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  invitations: InvitationsTable;
  audit_events: AuditEventsTable;
  settings: SettingsTable;
  log_state: LogStateTable;
  log_identity: LogIdentityTable;
  log_tiles: LogTilesTable;
  log_bundles: LogBundlesTable;
  log_checkpoints: LogCheckpointsTable;
  log_witnesses: LogWitnessesTable;
  log_cosignatures: LogCosignaturesTable;
  intel_objects: IntelObjectsTable;
  intel_recipients: IntelRecipientsTable;
  intel_lineages: IntelLineagesTable;
  sharing_groups: SharingGroupsTable;
  sharing_group_members: SharingGroupMembersTable;
  intel_relays: IntelRelaysTable;
  intel_relay_rows: IntelRelayRowsTable;
  taxii_statuses: TaxiiStatusesTable;
  auth_throttle: AuthThrottleTable;
  taxii_status_parts: TaxiiStatusPartsTable;
  recovery_codes: RecoveryCodesTable;
  reset_links: ResetLinksTable;
  org_rename_requests: OrgRenameRequestsTable;
}

/** Generated is re-exported so later tables with database-side defaults can use it. */
export type { Generated };
