import type { Identifier, SdoCommon, Timestamp } from './common.ts';

/** STIX 2.1 §5 relationship objects. */
export interface Relationship extends SdoCommon<'relationship'> {
  readonly relationship_type: string;
  readonly description?: string;
  readonly source_ref: Identifier;
  readonly target_ref: Identifier;
  readonly start_time?: Timestamp;
  readonly stop_time?: Timestamp;
}

export interface Sighting extends SdoCommon<'sighting'> {
  readonly description?: string;
  readonly first_seen?: Timestamp;
  readonly last_seen?: Timestamp;
  readonly count?: number;
  readonly sighting_of_ref: Identifier;
  readonly observed_data_refs?: readonly Identifier<'observed-data'>[];
  readonly where_sighted_refs?: readonly Identifier<'identity' | 'location'>[];
  readonly summary?: boolean;
}

export type StixRelationshipObject = Relationship | Sighting;
