import type { Identifier, KillChainPhase, SdoCommon, Timestamp } from './common.ts';

/** The 19 STIX Domain Objects (STIX 2.1 §4). */
export interface AttackPattern extends SdoCommon<'attack-pattern'> {
  readonly name: string;
  readonly description?: string;
  readonly aliases?: readonly string[];
  readonly kill_chain_phases?: readonly KillChainPhase[];
}
export interface Campaign extends SdoCommon<'campaign'> {
  readonly name: string;
  readonly description?: string;
  readonly aliases?: readonly string[];
  readonly first_seen?: Timestamp;
  readonly last_seen?: Timestamp;
  readonly objective?: string;
}
export interface CourseOfAction extends SdoCommon<'course-of-action'> {
  readonly name: string;
  readonly description?: string;
}
export interface Grouping extends SdoCommon<'grouping'> {
  readonly name?: string;
  readonly description?: string;
  readonly context: string;
  readonly object_refs: readonly Identifier[];
}
export interface Identity extends SdoCommon<'identity'> {
  readonly name: string;
  readonly description?: string;
  readonly roles?: readonly string[];
  readonly identity_class?: string;
  readonly sectors?: readonly string[];
  readonly contact_information?: string;
}
export interface Incident extends SdoCommon<'incident'> {
  readonly name: string;
  readonly description?: string;
  readonly kill_chain_phases?: readonly KillChainPhase[];
}
export interface Indicator extends SdoCommon<'indicator'> {
  readonly name?: string;
  readonly description?: string;
  readonly indicator_types?: readonly string[];
  readonly pattern: string;
  readonly pattern_type: string;
  readonly pattern_version?: string;
  readonly valid_from: Timestamp;
  readonly valid_until?: Timestamp;
  readonly kill_chain_phases?: readonly KillChainPhase[];
}
export interface Infrastructure extends SdoCommon<'infrastructure'> {
  readonly name: string;
  readonly description?: string;
  readonly infrastructure_types?: readonly string[];
  readonly aliases?: readonly string[];
  readonly kill_chain_phases?: readonly KillChainPhase[];
  readonly first_seen?: Timestamp;
  readonly last_seen?: Timestamp;
}
export interface IntrusionSet extends SdoCommon<'intrusion-set'> {
  readonly name: string;
  readonly description?: string;
  readonly aliases?: readonly string[];
  readonly first_seen?: Timestamp;
  readonly last_seen?: Timestamp;
  readonly goals?: readonly string[];
  readonly resource_level?: string;
  readonly primary_motivation?: string;
  readonly secondary_motivations?: readonly string[];
}
export interface Location extends SdoCommon<'location'> {
  readonly name?: string;
  readonly description?: string;
  readonly latitude?: number;
  readonly longitude?: number;
  readonly precision?: number;
  readonly region?: string;
  readonly country?: string;
  readonly administrative_area?: string;
  readonly city?: string;
  readonly street_address?: string;
  readonly postal_code?: string;
}
export interface Malware extends SdoCommon<'malware'> {
  readonly name?: string;
  readonly description?: string;
  readonly malware_types?: readonly string[];
  readonly is_family: boolean;
  readonly aliases?: readonly string[];
  readonly kill_chain_phases?: readonly KillChainPhase[];
  readonly first_seen?: Timestamp;
  readonly last_seen?: Timestamp;
  readonly operating_system_refs?: readonly Identifier<'software'>[];
  readonly architecture_execution_envs?: readonly string[];
  readonly implementation_languages?: readonly string[];
  readonly capabilities?: readonly string[];
  readonly sample_refs?: readonly Identifier<'file' | 'artifact'>[];
}
export interface MalwareAnalysis extends SdoCommon<'malware-analysis'> {
  readonly product: string;
  readonly version?: string;
  readonly host_vm_ref?: Identifier<'software'>;
  readonly operating_system_ref?: Identifier<'software'>;
  readonly installed_software_refs?: readonly Identifier<'software'>[];
  readonly configuration_version?: string;
  readonly modules?: readonly string[];
  readonly analysis_engine_version?: string;
  readonly analysis_definition_version?: string;
  readonly submitted?: Timestamp;
  readonly analysis_started?: Timestamp;
  readonly analysis_ended?: Timestamp;
  readonly result_name?: string;
  readonly result?: string;
  readonly analysis_sco_refs?: readonly Identifier[];
  readonly sample_ref?: Identifier<'file' | 'network-traffic' | 'artifact'>;
}
export interface Note extends SdoCommon<'note'> {
  readonly abstract?: string;
  readonly content: string;
  readonly authors?: readonly string[];
  readonly object_refs: readonly Identifier[];
}
export interface ObservedData extends SdoCommon<'observed-data'> {
  readonly first_observed: Timestamp;
  readonly last_observed: Timestamp;
  readonly number_observed: number;
  /** Deprecated in 2.1 (the 2.0 form); use object_refs. */
  readonly objects?: Readonly<Record<string, unknown>>;
  readonly object_refs?: readonly Identifier[];
}
export interface Opinion extends SdoCommon<'opinion'> {
  readonly explanation?: string;
  readonly authors?: readonly string[];
  readonly opinion: 'strongly-disagree' | 'disagree' | 'neutral' | 'agree' | 'strongly-agree';
  readonly object_refs: readonly Identifier[];
}
export interface Report extends SdoCommon<'report'> {
  readonly name: string;
  readonly description?: string;
  readonly report_types?: readonly string[];
  readonly published: Timestamp;
  readonly object_refs: readonly Identifier[];
}
export interface ThreatActor extends SdoCommon<'threat-actor'> {
  readonly name: string;
  readonly description?: string;
  readonly threat_actor_types?: readonly string[];
  readonly aliases?: readonly string[];
  readonly first_seen?: Timestamp;
  readonly last_seen?: Timestamp;
  readonly roles?: readonly string[];
  readonly goals?: readonly string[];
  readonly sophistication?: string;
  readonly resource_level?: string;
  readonly primary_motivation?: string;
  readonly secondary_motivations?: readonly string[];
  readonly personal_motivations?: readonly string[];
}
export interface Tool extends SdoCommon<'tool'> {
  readonly name: string;
  readonly description?: string;
  readonly tool_types?: readonly string[];
  readonly aliases?: readonly string[];
  readonly kill_chain_phases?: readonly KillChainPhase[];
  readonly tool_version?: string;
}
export interface Vulnerability extends SdoCommon<'vulnerability'> {
  readonly name: string;
  readonly description?: string;
}

export type StixDomainObject =
  | AttackPattern
  | Campaign
  | CourseOfAction
  | Grouping
  | Identity
  | Incident
  | Indicator
  | Infrastructure
  | IntrusionSet
  | Location
  | Malware
  | MalwareAnalysis
  | Note
  | ObservedData
  | Opinion
  | Report
  | ThreatActor
  | Tool
  | Vulnerability;
