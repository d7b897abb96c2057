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
  /** Objects an SCO reference (`*_ref`, `*_refs`) can resolve to, by identifier or local key. */
  readonly scope: Scope;
}

export type StixVersion = '2.0' | '2.1';

/** Where references resolve: the input's objects by id (2.1), or the embedded dictionary (2.0). */
export interface Scope {
  get(ref: string): JsonObject | undefined;
}

/** The 2.0 `objects` dictionary as a scope, without copying it into a Map. */
class DictionaryScope implements Scope {
  readonly #objects: JsonObject;
  constructor(objects: JsonObject) {
    this.#objects = objects;
  }
  get(ref: string): JsonObject | undefined {
    const value = Object.hasOwn(this.#objects, ref) ? this.#objects[ref] : undefined;
    return isObject(value) ? value : undefined;
  }
}

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
  const pool = new Pool();
  const found: JsonObject[] = [];
  const paths: string[] = [];
  for (let i = 0; i < observed.length; i++) visit(observed[i], `$[${i}]`, pool, found, paths);
  const out: Observation[] = [];
  for (let index = 0; index < found.length; index++) {
    out.push(toObservation(found[index]!, paths[index]!, index, pool, version));
  }
  return out;
}

/** Every object of the input by id; the Map is only created when some object has an id. */
class Pool implements Scope {
  #byId: Map<string, JsonObject> | undefined;

  set(id: string, o: JsonObject): void {
    this.#byId ??= new Map();
    this.#byId.set(id, o);
  }

  get(ref: string): JsonObject | undefined {
    return this.#byId?.get(ref);
  }
}

function visit(item: unknown, path: string, pool: Pool, found: JsonObject[], paths: string[]): void {
  if (!isObject(item)) fail('expected a STIX object', path);
  if (item.type === 'bundle') {
    const objects = item.objects ?? [];
    if (!Array.isArray(objects)) fail('bundle objects must be a list', `${path}.objects`);
    for (let i = 0; i < objects.length; i++) visit(objects[i], `${path}.objects[${i}]`, pool, found, paths);
    return;
  }
  if (typeof item.id === 'string') pool.set(item.id, item);
  if (item.type === 'observed-data') {
    found.push(item);
    paths.push(path);
  }
}

function toObservation(
  o: JsonObject,
  path: string,
  index: number,
  pool: Pool,
  version: StixVersion,
): Observation {
  const firstMicros = timestamp(o, 'first_observed', path);
  // Single-instant observations (the common sensor case) repeat the same text: parse it once.
  const lastMicros = o.last_observed === o.first_observed ? firstMicros : timestamp(o, 'last_observed', path);
  if (firstMicros > lastMicros) fail('first_observed is after last_observed', `${path}.first_observed`);
  const count = o.number_observed;
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 1) {
    fail('number_observed must be a positive integer', `${path}.number_observed`);
  }
  const id = typeof o.id === 'string' ? o.id : undefined;
  const embedded = o.objects;
  // STIX 2.1 data uses object_refs; embedded objects are the 2.0 form (deprecated in 2.1).
  if (embedded !== undefined && (version === '2.0' || o.object_refs === undefined)) {
    // 2.0 form (and deprecated in 2.1): a dictionary of SCOs keyed by local references.
    if (!isObject(embedded)) fail('objects must be a dictionary', `${path}.objects`);
    const roots: JsonObject[] = [];
    for (const key in embedded) {
      if (!Object.hasOwn(embedded, key)) continue;
      const value = embedded[key];
      if (!isObject(value)) fail('observed objects must be objects', `${path}.objects.${key}`);
      roots.push(value);
    }
    return { index, id, firstMicros, lastMicros, count, roots, scope: new DictionaryScope(embedded) };
  }
  if (version === '2.0') fail('STIX 2.0 observed-data needs embedded objects', `${path}.objects`);
  const refs = o.object_refs;
  if (!Array.isArray(refs)) fail('observed-data needs object_refs', `${path}.object_refs`);
  const roots: JsonObject[] = [];
  for (const ref of refs) {
    const target = typeof ref === 'string' ? pool.get(ref) : undefined;
    if (target !== undefined) roots.push(target);
  }
  return { index, id, firstMicros, lastMicros, count, roots, scope: pool };
}
