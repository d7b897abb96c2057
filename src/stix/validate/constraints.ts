import { parseIdentifier } from '../identifier.ts';
import { childPath } from '../issues.ts';
import {
  isTlp1Level,
  isTlp2Level,
  TLP1_MARKING_IDS,
  TLP2_EXTENSION_ID,
  TLP2_MARKING_IDS,
} from '../markings.ts';
import { isDefinedRelationship } from '../relationships.ts';
import { isScoType, TYPE_SPECS } from '../schema/index.ts';
import { scoDeterministicId } from '../sco-id.ts';
import { compareTimestamps, parseStixTimestamp } from '../timestamp.ts';
import type { ValidationContext } from './context.ts';
import { checkPredefinedExtensions } from './extensions.ts';
import { checkGranularSelectors, checkLanguageTag } from './markings.ts';
import { checkObservableValues } from './observables.ts';
import { checkIndicatorPattern } from './pattern.ts';
import { checkRecommendations } from './recommendations.ts';

type Obj = Readonly<Record<string, unknown>>;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reports when `later` is before `earlier` (or equal, when `strict`). */
function order(
  o: Obj,
  earlier: string,
  later: string,
  strict: boolean,
  path: string,
  ctx: ValidationContext,
): void {
  const a = typeof o[earlier] === 'string' ? parseStixTimestamp(o[earlier]) : undefined;
  const b = typeof o[later] === 'string' ? parseStixTimestamp(o[later]) : undefined;
  if (a === undefined || b === undefined) return;
  const c = compareTimestamps(b, a);
  if (c < 0 || (strict && c === 0)) {
    ctx.sink.error(
      childPath(path, later),
      'INVALID_CONSTRAINT',
      `${later} must be ${strict ? 'later than' : 'no earlier than'} ${earlier}`,
    );
  }
}

function need(o: Obj, anyOf: readonly string[], path: string, ctx: ValidationContext): void {
  if (!anyOf.some((k) => o[k] !== undefined)) {
    ctx.sink.error(path, 'MISSING_PROPERTY', `at least one of ${anyOf.join(', ')} is required`);
  }
}

function checkMarkingDefinition(o: Obj, path: string, ctx: ValidationContext): void {
  const { sink } = ctx;
  const id = typeof o.id === 'string' ? o.id : '';
  if (o.definition_type !== undefined) {
    const definition = o.definition;
    if (!isRecord(definition)) {
      sink.error(
        childPath(path, 'definition'),
        'MISSING_PROPERTY',
        'definition is required with definition_type',
      );
      return;
    }
    if (o.definition_type === 'tlp') {
      if (!isTlp1Level(definition.tlp))
        sink.error(
          childPath(path, 'definition.tlp'),
          'INVALID_MARKING',
          'tlp must be white, green, amber or red',
        );
      else if (TLP1_MARKING_IDS[definition.tlp] !== id)
        sink.error(
          childPath(path, 'id'),
          'INVALID_MARKING',
          'TLP marking definitions have fixed identifiers (§7.2.1.4)',
        );
    } else if (o.definition_type === 'statement' && typeof definition.statement !== 'string') {
      sink.error(
        childPath(path, 'definition.statement'),
        'MISSING_PROPERTY',
        'a statement marking needs definition.statement',
      );
    }
    return;
  }
  const extensions = o.extensions;
  if (!isRecord(extensions) || !Object.keys(extensions).some((k) => k.startsWith('extension-definition--'))) {
    sink.error(
      path,
      'INVALID_MARKING',
      'a marking definition needs definition_type and definition, or an extension',
    );
    return;
  }
  const tlp2 = extensions[TLP2_EXTENSION_ID];
  if (tlp2 === undefined) return;
  const p = childPath(childPath(path, 'extensions'), TLP2_EXTENSION_ID);
  if (!isRecord(tlp2) || tlp2.extension_type !== 'property-extension') {
    sink.error(p, 'INVALID_EXTENSION', "the TLP 2.0 extension has extension_type 'property-extension'");
    return;
  }
  if (!isTlp2Level(tlp2.tlp_2_0))
    sink.error(
      childPath(p, 'tlp_2_0'),
      'INVALID_MARKING',
      'tlp_2_0 must be clear, green, amber, amber+strict or red',
    );
  else if (TLP2_MARKING_IDS[tlp2.tlp_2_0] !== id)
    sink.error(
      childPath(path, 'id'),
      'INVALID_MARKING',
      'TLP 2.0 marking definitions have fixed identifiers',
    );
}

function checkScoId(o: Obj, path: string, ctx: ValidationContext): void {
  if (typeof o.id !== 'string' || parseIdentifier(o.id)?.version !== 5) return;
  const expected = scoDeterministicId(o);
  if (expected !== undefined && expected !== o.id) {
    // §2.9: a UUIDv5 SCO identifier SHOULD be derived from the ID-contributing properties.
    ctx.sink.warn(
      childPath(path, 'id'),
      'DETERMINISTIC_ID',
      `expected the deterministic identifier ${expected}`,
    );
  }
}

function checkRelationshipType(o: Obj, path: string, ctx: ValidationContext): void {
  const source = typeof o.source_ref === 'string' ? parseIdentifier(o.source_ref)?.type : undefined;
  const target = typeof o.target_ref === 'string' ? parseIdentifier(o.target_ref)?.type : undefined;
  const type = o.relationship_type;
  // Only pairs of types the specification defines are checked; custom types may relate freely.
  if (source === undefined || target === undefined || typeof type !== 'string') return;
  if (!TYPE_SPECS.has(source) || !TYPE_SPECS.has(target)) return;
  if (!isDefinedRelationship(source, type, target, isScoType)) {
    ctx.sink.warn(
      childPath(path, 'relationship_type'),
      'RELATIONSHIP_TYPE',
      `'${type.slice(0, 40)}' is not a STIX 2.1 relationship from ${source} to ${target}`,
    );
  }
}

/** Per-type rules of STIX 2.1 that relate several properties (§4–§7). */
export function checkConstraints(o: Obj, type: string, path: string, ctx: ValidationContext): void {
  if (TYPE_SPECS.get(type)?.category === 'sco') {
    checkScoId(o, path, ctx);
    checkPredefinedExtensions(o, type, path, ctx);
    checkObservableValues(o, type, path, ctx);
  }
  if (o.lang !== undefined) checkLanguageTag(o.lang, childPath(path, 'lang'), ctx);
  checkGranularSelectors(o, path, ctx);
  checkRecommendations(o, path, ctx);
  switch (type) {
    case 'campaign':
    case 'infrastructure':
    case 'intrusion-set':
    case 'malware':
    case 'threat-actor':
    case 'sighting':
      order(o, 'first_seen', 'last_seen', false, path, ctx);
      if (type === 'malware' && o.is_family === true && o.name === undefined) {
        ctx.sink.error(
          childPath(path, 'name'),
          'MISSING_PROPERTY',
          'name is required when is_family is true',
        );
      }
      return;
    case 'indicator':
      order(o, 'valid_from', 'valid_until', true, path, ctx);
      checkIndicatorPattern(o, path, ctx);
      return;
    case 'location':
      need(o, ['region', 'country', 'latitude'], path, ctx);
      if ((o.latitude === undefined) !== (o.longitude === undefined)) {
        ctx.sink.error(path, 'INVALID_CONSTRAINT', 'latitude and longitude go together');
      }
      if (o.precision !== undefined && o.latitude === undefined)
        ctx.sink.error(
          childPath(path, 'precision'),
          'INVALID_CONSTRAINT',
          'precision needs latitude and longitude',
        );
      return;
    case 'malware-analysis':
      need(o, ['result', 'analysis_sco_refs'], path, ctx);
      return;
    case 'observed-data':
      order(o, 'first_observed', 'last_observed', false, path, ctx);
      if ((o.objects === undefined) === (o.object_refs === undefined)) {
        ctx.sink.error(path, 'INVALID_CONSTRAINT', 'exactly one of objects and object_refs is required');
      } else if (o.objects !== undefined) {
        ctx.sink.warn(
          childPath(path, 'objects'),
          'INVALID_CONSTRAINT',
          'objects is deprecated in STIX 2.1; use object_refs',
        );
      }
      return;
    case 'relationship':
      order(o, 'start_time', 'stop_time', true, path, ctx);
      checkRelationshipType(o, path, ctx);
      return;
    case 'marking-definition':
      checkMarkingDefinition(o, path, ctx);
      return;
    case 'artifact':
      if (o.payload_bin !== undefined && o.url !== undefined)
        ctx.sink.error(path, 'INVALID_CONSTRAINT', 'payload_bin and url are mutually exclusive');
      if (o.url !== undefined && o.hashes === undefined)
        ctx.sink.error(childPath(path, 'hashes'), 'MISSING_PROPERTY', 'hashes is required with url');
      return;
    case 'file':
      need(o, ['hashes', 'name'], path, ctx);
      return;
    case 'network-traffic':
      need(o, ['src_ref', 'dst_ref'], path, ctx);
      order(o, 'start', 'end', false, path, ctx);
      if (o.is_active === true && o.end !== undefined)
        ctx.sink.error(childPath(path, 'end'), 'INVALID_CONSTRAINT', 'an active flow has no end');
      return;
    default:
      return;
  }
}
