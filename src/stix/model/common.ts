/** Shared STIX 2.1 data types (§2) and common properties (§3.2), as readonly values. */

/** `<type>--<UUID>` (§2.9). */
export type Identifier<T extends string = string> = `${T}--${string}`;
/** RFC 3339 UTC timestamp text (§2.12). */
export type Timestamp = string;
export type Hashes = Readonly<Record<string, string>>;

export interface KillChainPhase {
  readonly kill_chain_name: string;
  readonly phase_name: string;
}

export interface ExternalReference {
  readonly source_name: string;
  readonly description?: string;
  readonly url?: string;
  readonly hashes?: Hashes;
  readonly external_id?: string;
}

export interface GranularMarking {
  readonly lang?: string;
  readonly marking_ref?: Identifier<'marking-definition'>;
  readonly selectors: readonly string[];
}

export type Extensions = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/** Custom properties (`x_…`) and top-level extension properties ride along untyped. */
export interface CustomProperties {
  readonly [custom: `x_${string}`]: unknown;
}

export interface SdoCommon<T extends string> extends CustomProperties {
  readonly type: T;
  readonly spec_version: '2.1';
  readonly id: Identifier<T>;
  readonly created_by_ref?: Identifier<'identity'>;
  readonly created: Timestamp;
  readonly modified: Timestamp;
  readonly revoked?: boolean;
  readonly labels?: readonly string[];
  readonly confidence?: number;
  readonly lang?: string;
  readonly external_references?: readonly ExternalReference[];
  readonly object_marking_refs?: readonly Identifier<'marking-definition'>[];
  readonly granular_markings?: readonly GranularMarking[];
  readonly extensions?: Extensions;
}

export interface ScoCommon<T extends string> extends CustomProperties {
  readonly type: T;
  readonly spec_version?: '2.1';
  readonly id: Identifier<T>;
  readonly object_marking_refs?: readonly Identifier<'marking-definition'>[];
  readonly granular_markings?: readonly GranularMarking[];
  readonly defanged?: boolean;
  readonly extensions?: Extensions;
}
