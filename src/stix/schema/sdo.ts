import {
  bool,
  dict,
  int,
  type PropertySpec,
  type PropertyTable,
  ref,
  refs,
  str,
  strList,
  ts,
  vocab,
  vocabList,
} from './properties.ts';

const kcp: PropertySpec = { k: 'kill-chain-phases' };
const anyRefs: PropertySpec = { k: 'refs', types: 'any' };
const float = (min: number, max: number): PropertySpec => ({ k: 'float', min, max });

/** The 19 STIX Domain Objects (STIX 2.1 §4): their own properties and required ones. */
export const SDO_SPECS: Readonly<
  Record<string, { readonly properties: PropertyTable; readonly required: readonly string[] }>
> = {
  'attack-pattern': {
    properties: { name: str, description: str, aliases: strList, kill_chain_phases: kcp },
    required: ['name'],
  },
  campaign: {
    properties: {
      name: str,
      description: str,
      aliases: strList,
      first_seen: ts,
      last_seen: ts,
      objective: str,
    },
    required: ['name'],
  },
  'course-of-action': {
    properties: {
      name: str,
      description: str,
      action_type: str,
      os_execution_envs: strList,
      action_bin: { k: 'binary' },
      action_reference: { k: 'object' },
    },
    required: ['name'],
  },
  grouping: {
    properties: { name: str, description: str, context: vocab('grouping-context'), object_refs: anyRefs },
    required: ['context', 'object_refs'],
  },
  identity: {
    properties: {
      name: str,
      description: str,
      roles: strList,
      identity_class: vocab('identity-class'),
      sectors: vocabList('industry-sector'),
      contact_information: str,
    },
    required: ['name'],
  },
  incident: { properties: { name: str, description: str, kill_chain_phases: kcp }, required: ['name'] },
  indicator: {
    properties: {
      name: str,
      description: str,
      indicator_types: vocabList('indicator-type'),
      pattern: str,
      pattern_type: vocab('pattern-type'),
      pattern_version: str,
      valid_from: ts,
      valid_until: ts,
      kill_chain_phases: kcp,
    },
    required: ['pattern', 'pattern_type', 'valid_from'],
  },
  infrastructure: {
    properties: {
      name: str,
      description: str,
      infrastructure_types: vocabList('infrastructure-type'),
      aliases: strList,
      kill_chain_phases: kcp,
      first_seen: ts,
      last_seen: ts,
    },
    required: ['name'],
  },
  'intrusion-set': {
    properties: {
      name: str,
      description: str,
      aliases: strList,
      first_seen: ts,
      last_seen: ts,
      goals: strList,
      resource_level: vocab('attack-resource-level'),
      primary_motivation: vocab('attack-motivation'),
      secondary_motivations: vocabList('attack-motivation'),
    },
    required: ['name'],
  },
  location: {
    properties: {
      name: str,
      description: str,
      latitude: float(-90, 90),
      longitude: float(-180, 180),
      precision: float(0, Number.MAX_VALUE),
      region: vocab('region'),
      country: str,
      administrative_area: str,
      city: str,
      street_address: str,
      postal_code: str,
    },
    required: [],
  },
  malware: {
    properties: {
      name: str,
      description: str,
      malware_types: vocabList('malware-type'),
      is_family: bool,
      aliases: strList,
      kill_chain_phases: kcp,
      first_seen: ts,
      last_seen: ts,
      operating_system_refs: refs('software'),
      architecture_execution_envs: vocabList('processor-architecture'),
      implementation_languages: vocabList('implementation-language'),
      capabilities: vocabList('malware-capabilities'),
      sample_refs: refs('file', 'artifact'),
    },
    required: ['is_family'],
  },
  'malware-analysis': {
    properties: {
      product: str,
      version: str,
      host_vm_ref: ref('software'),
      operating_system_ref: ref('software'),
      installed_software_refs: refs('software'),
      configuration_version: str,
      modules: strList,
      analysis_engine_version: str,
      analysis_definition_version: str,
      submitted: ts,
      analysis_started: ts,
      analysis_ended: ts,
      result_name: str,
      result: vocab('malware-result'),
      analysis_sco_refs: { k: 'refs', types: 'sco' },
      sample_ref: ref('file', 'network-traffic', 'artifact'),
    },
    required: ['product'],
  },
  note: {
    properties: { abstract: str, content: str, authors: strList, object_refs: anyRefs },
    required: ['content', 'object_refs'],
  },
  'observed-data': {
    properties: {
      first_observed: ts,
      last_observed: ts,
      number_observed: int(1, 999_999_999),
      objects: dict,
      object_refs: { k: 'refs', types: 'sco-sro' },
    },
    required: ['first_observed', 'last_observed', 'number_observed'],
  },
  opinion: {
    properties: {
      explanation: str,
      authors: strList,
      opinion: { k: 'enum', values: ['strongly-disagree', 'disagree', 'neutral', 'agree', 'strongly-agree'] },
      object_refs: anyRefs,
    },
    required: ['opinion', 'object_refs'],
  },
  report: {
    properties: {
      name: str,
      description: str,
      report_types: vocabList('report-type'),
      published: ts,
      object_refs: anyRefs,
    },
    required: ['name', 'published', 'object_refs'],
  },
  'threat-actor': {
    properties: {
      name: str,
      description: str,
      threat_actor_types: vocabList('threat-actor-type'),
      aliases: strList,
      first_seen: ts,
      last_seen: ts,
      roles: vocabList('threat-actor-role'),
      goals: strList,
      sophistication: vocab('threat-actor-sophistication'),
      resource_level: vocab('attack-resource-level'),
      primary_motivation: vocab('attack-motivation'),
      secondary_motivations: vocabList('attack-motivation'),
      personal_motivations: vocabList('attack-motivation'),
    },
    required: ['name'],
  },
  tool: {
    properties: {
      name: str,
      description: str,
      tool_types: vocabList('tool-type'),
      aliases: strList,
      kill_chain_phases: kcp,
      tool_version: str,
    },
    required: ['name'],
  },
  vulnerability: { properties: { name: str, description: str }, required: ['name'] },
};

/** The two STIX Relationship Objects (STIX 2.1 §5). */
export const SRO_SPECS: Readonly<
  Record<string, { readonly properties: PropertyTable; readonly required: readonly string[] }>
> = {
  relationship: {
    properties: {
      relationship_type: str,
      description: str,
      source_ref: { k: 'ref', types: 'sdo-sco' },
      target_ref: { k: 'ref', types: 'sdo-sco' },
      start_time: ts,
      stop_time: ts,
    },
    required: ['relationship_type', 'source_ref', 'target_ref'],
  },
  sighting: {
    properties: {
      description: str,
      first_seen: ts,
      last_seen: ts,
      count: int(0, 999_999_999),
      sighting_of_ref: { k: 'ref', types: 'sdo' },
      observed_data_refs: refs('observed-data'),
      where_sighted_refs: refs('identity', 'location'),
      summary: bool,
    },
    required: ['sighting_of_ref'],
  },
};
