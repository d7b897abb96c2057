import { looksLikeIdentifier, parseIdentifier } from '../identifier.ts';
import { childPath } from '../issues.ts';
import { TYPE_SPECS } from '../schema/index.ts';
import type { PropertySpec } from '../schema/properties.ts';
import { MAX_FRACTION_DIGITS, parseStixTimestamp } from '../timestamp.ts';
import { inVocabulary } from '../vocabularies.ts';
import type { ValidationContext } from './context.ts';
import {
  checkExtensions,
  checkExternalReferences,
  checkGranularMarkings,
  checkHashes,
  checkKillChainPhases,
} from './structures.ts';

const NOT_SDO_OR_SCO = new Set([
  'relationship',
  'sighting',
  'marking-definition',
  'language-content',
  'extension-definition',
  'bundle',
]);
const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const HEX_RE = /^(?:[0-9a-fA-F]{2})*$/;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describeType(v: unknown): string {
  return Array.isArray(v) ? 'list' : v === null ? 'null' : typeof v;
}

/** Why `value` is not a canonical identifier (STIX 2.1 §2.9). */
export function identifierProblem(value: string): string {
  return looksLikeIdentifier(value)
    ? 'identifiers are written in lower case (STIX 2.1 §2.9)'
    : 'not a STIX identifier (<type>--<UUID>)';
}

function checkRef(
  value: unknown,
  spec: Extract<PropertySpec, { k: 'ref' | 'refs' }>,
  path: string,
  ctx: ValidationContext,
): void {
  if (typeof value !== 'string') {
    ctx.sink.error(path, 'WRONG_VALUE_TYPE', `expected an identifier, found ${describeType(value)}`);
    return;
  }
  const id = parseIdentifier(value);
  if (id === undefined) {
    ctx.sink.error(path, 'INVALID_IDENTIFIER', identifierProblem(value));
    return;
  }
  const { types } = spec;
  const known = TYPE_SPECS.get(id.type);
  const ok =
    types === 'any' ||
    (types === 'sdo-sco' && !NOT_SDO_OR_SCO.has(id.type)) ||
    (types === 'sdo' && !NOT_SDO_OR_SCO.has(id.type) && known?.category !== 'sco') ||
    (types === 'sco' && (known === undefined || known.category === 'sco')) ||
    (types === 'sco-sro' &&
      (known === undefined || known.category === 'sco' || id.type === 'relationship')) ||
    (Array.isArray(types) && types.includes(id.type));
  if (!ok) ctx.sink.error(path, 'INVALID_REFERENCE_TYPE', `a reference to ${id.type} is not allowed here`);
}

/**
 * A custom `*_ref` / `*_refs` property (STIX 2.1 names reference properties so): an identifier in the
 * wrong letter case is an error, as for defined references; other values only get a warning,
 * since published content carries them (MITRE ATT&CK has `"x_mitre_data_source_ref": ""`).
 */
export function checkCustomReference(value: unknown, path: string, ctx: ValidationContext): void {
  const items = Array.isArray(value)
    ? value.map((v, i) => [v, childPath(path, i)] as const)
    : [[value, path] as const];
  for (const [item, p] of items) {
    if (typeof item === 'string' && parseIdentifier(item) !== undefined) continue;
    if (typeof item === 'string' && looksLikeIdentifier(item))
      ctx.sink.error(p, 'INVALID_IDENTIFIER', identifierProblem(item));
    else ctx.sink.warn(p, 'INVALID_IDENTIFIER', 'a *_ref property should hold a STIX identifier');
  }
}

// A plain function, not a closure in checkProperty: that runs for every property of every object.
function wrongType(ctx: ValidationContext, path: string, value: unknown, expected: string): void {
  ctx.sink.error(path, 'WRONG_VALUE_TYPE', `expected ${expected}, found ${describeType(value)}`);
}

/** Checks one property value against its specification (STIX 2.1 §2 data types). */
export function checkProperty(
  value: unknown,
  spec: PropertySpec,
  path: string,
  ctx: ValidationContext,
): void {
  const { sink } = ctx;
  switch (spec.k) {
    case 'any':
      return;
    case 'string':
      if (typeof value !== 'string') wrongType(ctx, path, value, 'a string');
      return;
    case 'boolean':
      if (typeof value !== 'boolean') wrongType(ctx, path, value, 'a boolean');
      return;
    case 'timestamp': {
      const t = typeof value === 'string' ? parseStixTimestamp(value) : undefined;
      if (typeof value !== 'string') wrongType(ctx, path, value, 'a timestamp string');
      else if (t === undefined)
        sink.error(path, 'INVALID_TIMESTAMP', 'not an RFC 3339 UTC timestamp (YYYY-MM-DDTHH:MM:SS[.s+]Z)');
      else if (t.precision > MAX_FRACTION_DIGITS)
        sink.error(
          path,
          'TIMESTAMP_PRECISION',
          `at most ${MAX_FRACTION_DIGITS} fraction digits (nanoseconds)`,
        );
      return;
    }
    case 'integer':
    case 'float':
      if (typeof value !== 'number' || (spec.k === 'integer' && !Number.isInteger(value)))
        wrongType(ctx, path, value, spec.k === 'integer' ? 'an integer' : 'a number');
      else if ((spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max)) {
        sink.error(path, 'OUT_OF_RANGE', `must be between ${spec.min ?? '-∞'} and ${spec.max ?? '∞'}`);
      }
      return;
    case 'binary':
      if (typeof value !== 'string' || !BASE64_RE.test(value))
        sink.error(path, 'WRONG_VALUE_TYPE', 'expected base64 binary');
      return;
    case 'hex':
      if (typeof value !== 'string' || !HEX_RE.test(value))
        sink.error(path, 'WRONG_VALUE_TYPE', 'expected hex characters');
      return;
    case 'dictionary':
    case 'object':
      if (!isRecord(value)) wrongType(ctx, path, value, 'an object');
      else if (spec.k === 'dictionary' && Object.keys(value).length === 0)
        sink.error(path, 'EMPTY_LIST', 'a dictionary must not be empty');
      return;
    case 'ref':
      checkRef(value, spec, path, ctx);
      return;
    case 'vocab':
      if (typeof value !== 'string') wrongType(ctx, path, value, 'a string');
      else if (!inVocabulary(spec.vocab, value))
        sink.warn(path, 'VOCABULARY_VALUE', `'${value.slice(0, 40)}' is not in the ${spec.vocab} vocabulary`);
      return;
    case 'enum':
      if (typeof value !== 'string') wrongType(ctx, path, value, 'a string');
      else if (!spec.values.includes(value))
        sink.error(path, 'INVALID_ENUM_VALUE', `must be one of ${spec.values.join(', ')}`);
      return;
    case 'hashes':
      checkHashes(value, path, ctx);
      return;
    case 'kill-chain-phases':
      checkKillChainPhases(value, path, ctx);
      return;
    case 'external-references':
      checkExternalReferences(value, path, ctx);
      return;
    case 'granular-markings':
      checkGranularMarkings(value, path, ctx);
      return;
    case 'extensions':
      checkExtensions(value, path, ctx);
      return;
    case 'string-list':
    case 'object-list':
    case 'refs':
    case 'vocab-list':
    case 'enum-list':
      checkList(value, spec, path, ctx);
      return;
  }
}

function checkList(value: unknown, spec: PropertySpec, path: string, ctx: ValidationContext): void {
  if (!Array.isArray(value)) {
    ctx.sink.error(path, 'WRONG_VALUE_TYPE', `expected a list, found ${describeType(value)}`);
    return;
  }
  // STIX 2.1 §2.8: lists MUST NOT be empty.
  if (value.length === 0) ctx.sink.error(path, 'EMPTY_LIST', 'a list must not be empty');
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    const p = childPath(path, i);
    switch (spec.k) {
      case 'string-list':
        checkProperty(item, { k: 'string' }, p, ctx);
        break;
      case 'object-list':
        checkProperty(item, { k: 'object' }, p, ctx);
        break;
      case 'refs':
        checkRef(item, spec, p, ctx);
        break;
      case 'vocab-list':
        checkProperty(item, { k: 'vocab', vocab: spec.vocab }, p, ctx);
        break;
      case 'enum-list':
        checkProperty(item, { k: 'enum', values: spec.values }, p, ctx);
        break;
      default:
        break;
    }
  }
}
