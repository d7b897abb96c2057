import { PatternEvaluationError } from '../errors.ts';
import { parseTimestamp } from '../timestamps.ts';
import { isObject, type JsonObject } from './json.ts';

/** One observed-data object, ready for matching (STIX 2.1 §4.14 / 2.0 Part 2 §2.13). */
export interface Observation {
  /** Position among the observations, used as its identity in bindings. */
  readonly index: number;
  readonly id: string | undefined;
  readonly firstMicros: number;
  readonly lastMicros: number;
  /** number_observed: how many times the observation happened (≥ 1). */
  readonly count: number;
  /** The SCOs this observation is about, each a possible root of an object path. */
  readonly roots: readonly JsonObject[];
  /** Resolves an SCO reference (`*_ref`, `*_refs`) in the observation's scope. */
  readonly resolve: (ref: string) => JsonObject | undefined;
}

export type StixVersion = '2.0' | '2.1';

function fail(message: string, path: string): never {
  throw new PatternEvaluationError('OBSERVED_DATA_INVALID', message, path);
}

function timestamp(o: JsonObject, key: string, path: string): number {
  const value = o[key];
  const parsed = typeof value === 'string' ? parseTimestamp(value) : undefined;
  if (parsed === undefined) fail(`${key} must be a STIX timestamp`, `${path}.${key}`);
  return parsed.epochMicros;
}

/**
 * Collects observed-data objects from the forms `tabella pattern match` accepts: STIX 2.1 bundles,
 * a flat list of observed-data and SCOs (2.1, `object_refs`), or 2.0 observed-data with embedded
 * `objects`. Everything here is attacker-controlled JSON; bad shapes raise PatternEvaluationError.
 */
export function collectObservations(observed: readonly unknown[], version: StixVersion): Observation[] {
  const pool = new Map<string, JsonObject>();
  const observedData: { o: JsonObject; path: string }[] = [];
  const visit = (item: unknown, path: string): void => {
    if (!isObject(item)) fail('expected a STIX object', path);
    if (item.type === 'bundle') {
      const objects = item.objects ?? [];
      if (!Array.isArray(objects)) fail('bundle objects must be a list', `${path}.objects`);
      for (const [i, o] of objects.entries()) visit(o, `${path}.objects[${i}]`);
      return;
    }
    if (typeof item.id === 'string') pool.set(item.id, item);
    if (item.type === 'observed-data') observedData.push({ o: item, path });
  };
  for (const [i, item] of observed.entries()) visit(item, `$[${i}]`);
  return observedData.map(({ o, path }, index) => toObservation(o, path, index, pool, version));
}

function toObservation(
  o: JsonObject,
  path: string,
  index: number,
  pool: ReadonlyMap<string, JsonObject>,
  version: StixVersion,
): Observation {
  const firstMicros = timestamp(o, 'first_observed', path);
  const lastMicros = timestamp(o, 'last_observed', path);
  if (firstMicros > lastMicros) fail('first_observed is after last_observed', `${path}.first_observed`);
  const count = o.number_observed;
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 1) {
    fail('number_observed must be a positive integer', `${path}.number_observed`);
  }
  const id = typeof o.id === 'string' ? o.id : undefined;
  const embedded = o.objects;
  if (embedded !== undefined) {
    // 2.0 form (and deprecated in 2.1): a dictionary of SCOs keyed by local references.
    if (!isObject(embedded)) fail('objects must be a dictionary', `${path}.objects`);
    const local = new Map<string, JsonObject>();
    for (const [key, value] of Object.entries(embedded)) {
      if (!isObject(value)) fail('observed objects must be objects', `${path}.objects.${key}`);
      local.set(key, value);
    }
    return {
      index,
      id,
      firstMicros,
      lastMicros,
      count,
      roots: [...local.values()],
      resolve: (r) => local.get(r),
    };
  }
  if (version === '2.0') fail('STIX 2.0 observed-data needs embedded objects', `${path}.objects`);
  const refs = o.object_refs;
  if (!Array.isArray(refs)) fail('observed-data needs object_refs', `${path}.object_refs`);
  const roots: JsonObject[] = [];
  for (const ref of refs) {
    const target = typeof ref === 'string' ? pool.get(ref) : undefined;
    if (target !== undefined) roots.push(target);
  }
  return { index, id, firstMicros, lastMicros, count, roots, resolve: (r) => pool.get(r) };
}
