import type { Hashes, Identifier, ScoCommon, Timestamp } from './common.ts';

/** The 18 STIX Cyber-observable Objects (STIX 2.1 §6). */
export interface Artifact extends ScoCommon<'artifact'> {
  readonly mime_type?: string;
  readonly payload_bin?: string;
  readonly url?: string;
  readonly hashes?: Hashes;
  readonly encryption_algorithm?: 'AES-256-GCM' | 'ChaCha20-Poly1305' | 'mime-type-indicated';
  readonly decryption_key?: string;
}
export interface AutonomousSystem extends ScoCommon<'autonomous-system'> {
  readonly number: number;
  readonly name?: string;
  readonly rir?: string;
}
export interface Directory extends ScoCommon<'directory'> {
  readonly path: string;
  readonly path_enc?: string;
  readonly ctime?: Timestamp;
  readonly mtime?: Timestamp;
  readonly atime?: Timestamp;
  readonly contains_refs?: readonly Identifier<'file' | 'directory'>[];
}
export interface DomainName extends ScoCommon<'domain-name'> {
  readonly value: string;
  readonly resolves_to_refs?: readonly Identifier<'ipv4-addr' | 'ipv6-addr' | 'domain-name'>[];
}
export interface EmailAddress extends ScoCommon<'email-addr'> {
  readonly value: string;
  readonly display_name?: string;
  readonly belongs_to_ref?: Identifier<'user-account'>;
}
export interface EmailMessage extends ScoCommon<'email-message'> {
  readonly is_multipart: boolean;
  readonly date?: Timestamp;
  readonly content_type?: string;
  readonly from_ref?: Identifier<'email-addr'>;
  readonly sender_ref?: Identifier<'email-addr'>;
  readonly to_refs?: readonly Identifier<'email-addr'>[];
  readonly cc_refs?: readonly Identifier<'email-addr'>[];
  readonly bcc_refs?: readonly Identifier<'email-addr'>[];
  readonly message_id?: string;
  readonly subject?: string;
  readonly received_lines?: readonly string[];
  readonly additional_header_fields?: Readonly<Record<string, unknown>>;
  readonly body?: string;
  readonly body_multipart?: readonly Readonly<Record<string, unknown>>[];
  readonly raw_email_ref?: Identifier<'artifact'>;
}
export interface File extends ScoCommon<'file'> {
  readonly hashes?: Hashes;
  readonly size?: number;
  readonly name?: string;
  readonly name_enc?: string;
  readonly magic_number_hex?: string;
  readonly mime_type?: string;
  readonly ctime?: Timestamp;
  readonly mtime?: Timestamp;
  readonly atime?: Timestamp;
  readonly parent_directory_ref?: Identifier<'directory'>;
  readonly contains_refs?: readonly Identifier[];
  readonly content_ref?: Identifier<'artifact'>;
}
export interface Ipv4Address extends ScoCommon<'ipv4-addr'> {
  readonly value: string;
  readonly resolves_to_refs?: readonly Identifier<'mac-addr'>[];
  readonly belongs_to_refs?: readonly Identifier<'autonomous-system'>[];
}
export interface Ipv6Address extends ScoCommon<'ipv6-addr'> {
  readonly value: string;
  readonly resolves_to_refs?: readonly Identifier<'mac-addr'>[];
  readonly belongs_to_refs?: readonly Identifier<'autonomous-system'>[];
}
export interface MacAddress extends ScoCommon<'mac-addr'> {
  readonly value: string;
}
export interface Mutex extends ScoCommon<'mutex'> {
  readonly name: string;
}
export interface NetworkTraffic extends ScoCommon<'network-traffic'> {
  readonly start?: Timestamp;
  readonly end?: Timestamp;
  readonly is_active?: boolean;
  readonly src_ref?: Identifier<'ipv4-addr' | 'ipv6-addr' | 'mac-addr' | 'domain-name'>;
  readonly dst_ref?: Identifier<'ipv4-addr' | 'ipv6-addr' | 'mac-addr' | 'domain-name'>;
  readonly src_port?: number;
  readonly dst_port?: number;
  readonly protocols: readonly string[];
  readonly src_byte_count?: number;
  readonly dst_byte_count?: number;
  readonly src_packets?: number;
  readonly dst_packets?: number;
  readonly ipfix?: Readonly<Record<string, unknown>>;
  readonly src_payload_ref?: Identifier<'artifact'>;
  readonly dst_payload_ref?: Identifier<'artifact'>;
  readonly encapsulates_refs?: readonly Identifier<'network-traffic'>[];
  readonly encapsulated_by_ref?: Identifier<'network-traffic'>;
}
export interface Process extends ScoCommon<'process'> {
  readonly is_hidden?: boolean;
  readonly pid?: number;
  readonly created_time?: Timestamp;
  readonly cwd?: string;
  readonly command_line?: string;
  readonly environment_variables?: Readonly<Record<string, string>>;
  readonly opened_connection_refs?: readonly Identifier<'network-traffic'>[];
  readonly creator_user_ref?: Identifier<'user-account'>;
  readonly image_ref?: Identifier<'file'>;
  readonly parent_ref?: Identifier<'process'>;
  readonly child_refs?: readonly Identifier<'process'>[];
}
export interface Software extends ScoCommon<'software'> {
  readonly name: string;
  readonly cpe?: string;
  readonly swid?: string;
  readonly languages?: readonly string[];
  readonly vendor?: string;
  readonly version?: string;
}
export interface Url extends ScoCommon<'url'> {
  readonly value: string;
}
export interface UserAccount extends ScoCommon<'user-account'> {
  readonly user_id?: string;
  readonly credential?: string;
  readonly account_login?: string;
  readonly account_type?: string;
  readonly display_name?: string;
  readonly is_service_account?: boolean;
  readonly is_privileged?: boolean;
  readonly can_escalate_privs?: boolean;
  readonly is_disabled?: boolean;
  readonly account_created?: Timestamp;
  readonly account_expires?: Timestamp;
  readonly credential_last_changed?: Timestamp;
  readonly account_first_login?: Timestamp;
  readonly account_last_login?: Timestamp;
}
export interface WindowsRegistryKey extends ScoCommon<'windows-registry-key'> {
  readonly key?: string;
  readonly values?: readonly Readonly<{ name?: string; data?: string; data_type?: string }>[];
  readonly modified_time?: Timestamp;
  readonly creator_user_ref?: Identifier<'user-account'>;
  readonly number_of_subkeys?: number;
}
export interface X509Certificate extends ScoCommon<'x509-certificate'> {
  readonly is_self_signed?: boolean;
  readonly hashes?: Hashes;
  readonly version?: string;
  readonly serial_number?: string;
  readonly signature_algorithm?: string;
  readonly issuer?: string;
  readonly validity_not_before?: Timestamp;
  readonly validity_not_after?: Timestamp;
  readonly subject?: string;
  readonly subject_public_key_algorithm?: string;
  readonly subject_public_key_modulus?: string;
  readonly subject_public_key_exponent?: number;
  readonly x509_v3_extensions?: Readonly<Record<string, string>>;
}

export type StixCyberObservable =
  | Artifact
  | AutonomousSystem
  | Directory
  | DomainName
  | EmailAddress
  | EmailMessage
  | File
  | Ipv4Address
  | Ipv6Address
  | MacAddress
  | Mutex
  | NetworkTraffic
  | Process
  | Software
  | Url
  | UserAccount
  | WindowsRegistryKey
  | X509Certificate;
