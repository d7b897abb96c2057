import { isTypeName, parseIdentifier } from '../identifier.ts';
import { childPath, IssueSink, type ValidationIssue } from '../issues.ts';
import { SCO_FORBIDDEN, TYPE_SPECS, type TypeSpec } from '../schema/index.ts';
import { SDO_COMMON, SDO_REQUIRED } from '../schema/properties.ts';
import { compareTimestamps, parseStixTimestamp } from '../timestamp.ts';
import { checkConstraints } from './constraints.ts';
import type { ValidationContext } from './context.ts';
import { checkCustomReference, checkProperty, identifierProblem } from './property.ts';

/** Custom objects (STIX 2.1 §11.1) carry the SDO common properties. */
const CUSTOM_SPEC: TypeSpec = { category: 'sdo', properties: SDO_COMMON, required: SDO_REQUIRED };
const MARKING_FORBIDDEN = ['modified', 'revoked', 'labels', 'confidence', 'lang'];
const CUSTOM_NAME_RE = /^[a-z0-9_]{3,250}$/;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkIdentifier(
  o: Record<string, unknown>,
  type: string,
  spec: TypeSpec,
  path: string,
  ctx: ValidationContext,
): void {
  const { sink } = ctx;
  const p = childPath(path, 'id');
  if (typeof o.id !== 'string') {
    if (o.id !== undefined) sink.error(p, 'WRONG_VALUE_TYPE', 'id must be a string');
    return;
  }
  const id = parseIdentifier(o.id);
  if (id === undefined) {
    sink.error(p, 'INVALID_IDENTIFIER', identifierProblem(o.id));
    return;
  }
  if (id.type !== type)
    sink.error(p, 'IDENTIFIER_TYPE_MISMATCH', `id prefix '${id.type}' differs from type '${type}'`);
  if (!id.rfc4122) sink.error(p, 'UUID_VERSION', 'the UUID must be an RFC 4122 UUID (variant bits 10)');
  else if (spec.category === 'sco' ? id.version !== 4 && id.version !== 5 : id.version !== 4) {
    // STIX 2.1 §2.9: UUIDv4 SHOULD be used, except UUIDv5 for deterministic SCO identifiers.
    sink.warn(
      p,
      'UUID_VERSION',
      `UUID version ${id.version} is not recommended for ${spec.category} objects`,
    );
  }
}

function checkCommonTimes(o: Record<string, unknown>, path: string, ctx: ValidationContext): void {
  const times: Partial<Record<'created' | 'modified', ReturnType<typeof parseStixTimestamp>>> = {};
  for (const key of ['created', 'modified'] as const) {
    const value = o[key];
    if (typeof value !== 'string') continue;
    const t = parseStixTimestamp(value);
    times[key] = t;
    // STIX 2.1 §3.2: created and modified MUST be precise to the nearest millisecond.
    if (t !== undefined && t.precision < 3) {
      ctx.sink.error(childPath(path, key), 'TIMESTAMP_PRECISION', `${key} must have millisecond precision`);
    }
  }
  if (
    times.created !== undefined &&
    times.modified !== undefined &&
    compareTimestamps(times.modified, times.created) < 0
  ) {
    ctx.sink.error(
      childPath(path, 'modified'),
      'MODIFIED_BEFORE_CREATED',
      'modified must not be earlier than created',
    );
  }
}

function checkProperties(
  o: Record<string, unknown>,
  spec: TypeSpec,
  path: string,
  ctx: ValidationContext,
): void {
  const { sink } = ctx;
  for (const key of spec.required) {
    if (o[key] === undefined) sink.error(childPath(path, key), 'MISSING_PROPERTY', `${key} is required`);
  }
  for (const [key, value] of Object.entries(o)) {
    const p = childPath(path, key);
    const propertySpec = spec.properties[key];
    if (propertySpec !== undefined) {
      if (value === null) sink.error(p, 'WRONG_VALUE_TYPE', 'properties must not be null');
      else checkProperty(value, propertySpec, p, ctx);
      continue;
    }
    if (spec.category === 'sco' && (SCO_FORBIDDEN as readonly string[]).includes(key)) {
      sink.error(p, 'FORBIDDEN_PROPERTY', `${key} is not a property of cyber-observable objects`);
    } else if (o.type === 'marking-definition' && MARKING_FORBIDDEN.includes(key)) {
      sink.error(p, 'FORBIDDEN_PROPERTY', `${key} is not a property of marking definitions`);
    } else if (!CUSTOM_NAME_RE.test(key)) {
      sink.error(p, 'INVALID_PROPERTY_NAME', 'custom property names are 3–250 characters of a-z, 0-9 and _');
    } else {
      if (key.endsWith('_ref') || key.endsWith('_refs')) checkCustomReference(value, p, ctx);
      if (!key.startsWith('x_') && spec !== CUSTOM_SPEC) {
        // Properties of custom objects are all custom; only defined types get this warning.
        sink.warn(p, 'CUSTOM_PROPERTY', `'${key}' is not defined by STIX 2.1 for this type`);
      }
    }
  }
}

/** Validates one object into an existing sink (used by bundle validation). */
export function validateObjectInto(value: unknown, path: string, ctx: ValidationContext): void {
  const { sink } = ctx;
  if (!isRecord(value)) {
    sink.error(path, 'NOT_AN_OBJECT', 'a STIX object must be a JSON object');
    return;
  }
  const type = value.type;
  if (typeof type !== 'string') {
    sink.error(childPath(path, 'type'), 'MISSING_PROPERTY', 'type is required and must be a string');
    return;
  }
  if (!isTypeName(type)) {
    sink.error(
      childPath(path, 'type'),
      'INVALID_TYPE_NAME',
      'type must be 3–250 characters of a-z, 0-9 and -',
    );
    return;
  }
  let spec = TYPE_SPECS.get(type);
  if (spec === undefined) {
    sink.warn(childPath(path, 'type'), 'CUSTOM_OBJECT_TYPE', `'${type}' is a custom object type`);
    spec = CUSTOM_SPEC;
  }
  checkIdentifier(value, type, spec, path, ctx);
  if (value.spec_version !== undefined && value.spec_version !== '2.1') {
    sink.error(childPath(path, 'spec_version'), 'INVALID_SPEC_VERSION', "spec_version must be '2.1'");
  }
  checkProperties(value, spec, path, ctx);
  checkCommonTimes(value, path, ctx);
  checkConstraints(value, type, path, ctx);
}

export interface ValidationResult {
  readonly issues: readonly ValidationIssue[];
  readonly errors: number;
  readonly warnings: number;
}

export function resultOf(sink: IssueSink): ValidationResult {
  const errors = sink.issues.filter((i) => i.severity === 'error').length;
  return { issues: sink.issues, errors, warnings: sink.issues.length - errors };
}

/**
 * Validates one STIX 2.1 object (attacker-controlled JSON) against the specification's rules. This
 * is the one validator of every way in (REST, web app, TAXII, `tabella intel import`) and of
 * `tabella stix validate`: `stix` patterns are parsed and observable values checked here, never by
 * an option a caller could forget.
 *
 * @example
 * const { errors, issues } = validateObject(JSON.parse(text));
 * for (const i of issues) console.log(i.path, i.code, i.severity);
 */
export function validateObject(value: unknown, path = '$'): ValidationResult {
  const sink = new IssueSink();
  validateObjectInto(value, path, { sink });
  return resultOf(sink);
}
