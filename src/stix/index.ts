/**
 * STIX 2.1 objects: validation with JSON paths, stable codes and severities; deterministic SCO
 * identifiers; streaming bundle parsing and export. Pure: imports src/core, src/patterns (to parse
 * indicator patterns while validating) and node built-ins.
 */
export { type Bundle, createBundle, serializeBundle } from './bundle/export.ts';
export {
  type BundleEvent,
  type BundleStreamOptions,
  BundleStreamParser,
  parseBundleStream,
} from './bundle/stream.ts';
export { type StreamValidationResult, validateBundleStream } from './bundle/validate.ts';
export { type StixErrorCode, StixParseError, StixValidationError } from './errors.ts';
export { isTypeName, type ParsedIdentifier, parseIdentifier } from './identifier.ts';
export { countBySeverity, type IssueCode, type Severity, type ValidationIssue } from './issues.ts';
export {
  isTlp1Level,
  isTlp2Level,
  TLP1_MARKING_IDS,
  TLP2_EXTENSION_ID,
  TLP2_MARKING_IDS,
  type Tlp1Level,
  type Tlp2Level,
} from './markings.ts';
export type * from './model/index.ts';
export { parseStixObject } from './parse.ts';
export { isScoType, SCO_TYPES, TYPE_SPECS } from './schema/index.ts';
export { SCO_ID_NAMESPACE, scoDeterministicId, scoIdentifier, uuidV5 } from './sco-id.ts';
export { compareTimestamps, parseStixTimestamp, type StixTimestamp } from './timestamp.ts';
export { isOfficialTlpDefinition, isTlpDefinitionId, TLP_DEFINITIONS } from './tlp-definitions.ts';
export { type ValidationResult, validateObject } from './validate/object.ts';
export {
  checkObservableValue,
  isUnspecifiedAddress,
  isValueType,
  MIN_IPV4_PREFIX,
  MIN_IPV6_PREFIX,
  type ValueCheck,
  type ValueType,
} from './values/index.ts';
export { inVocabulary, VOCABULARIES, type VocabularyName } from './vocabularies.ts';
