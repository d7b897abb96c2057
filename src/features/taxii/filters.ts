import { TabellaError } from '../../core/errors.ts';

/** Largest page the server returns whatever `limit` asks (TAXII 2.1 §3.4.1 lets servers cap it). */
export const MAX_PAGE = 1000;
/** Page size when the client gives no `limit`. */
export const DEFAULT_PAGE = 100;

/** `first`, `last`, `all`, or a list of timestamps and the keywords `first`/`last` (their union). */
export type VersionSelection = 'last' | 'first' | 'all' | readonly string[];

/** The filters of one TAXII request (TAXII 2.1 §3.4), validated. */
export interface TaxiiFilter {
  readonly addedAfter?: string;
  readonly ids?: readonly string[];
  readonly types?: readonly string[];
  readonly versions?: VersionSelection;
  readonly specVersions?: readonly string[];
  readonly limit: number;
  readonly cursor?: string;
}

/** Which parameters an endpoint supports (TAXII 2.1 §5.3–§5.8). */
export type FilterParam = 'added_after' | 'limit' | 'next' | 'id' | 'type' | 'version' | 'spec_version';

export const OBJECTS_FILTERS: readonly FilterParam[] = [
  'added_after',
  'limit',
  'next',
  'id',
  'type',
  'version',
  'spec_version',
];
export const OBJECT_FILTERS: readonly FilterParam[] = [
  'added_after',
  'limit',
  'next',
  'version',
  'spec_version',
];
export const VERSIONS_FILTERS: readonly FilterParam[] = ['added_after', 'limit', 'next', 'spec_version'];
export const DELETE_FILTERS: readonly FilterParam[] = ['version', 'spec_version'];

const TIMESTAMP_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/;
const ID_RE =
  /^[a-z][a-z0-9-]{0,249}--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const TYPE_RE = /^[a-z][a-z0-9-]{0,249}$/;
const SPEC_VERSION_RE = /^\d{1,3}\.\d{1,3}$/;
/** At most this many values per match filter, so one request cannot build an unbounded query. */
const MAX_VALUES = 100;

function bad(field: string, why: string): TabellaError {
  return new TabellaError('VALIDATION_FAILED', `${field}: ${why}`, { fields: [field] });
}

/** A query parameter's values (attacker-controlled): repeated parameters and commas both list. */
function valuesOf(raw: unknown, field: string): string[] {
  const parts = (Array.isArray(raw) ? raw : [raw]).flatMap((v) =>
    typeof v === 'string' ? v.split(',') : [],
  );
  const values = parts.map((v) => v.trim()).filter((v) => v !== '');
  if (values.length === 0) throw bad(field, 'give at least one value');
  if (values.length > MAX_VALUES) throw bad(field, `at most ${MAX_VALUES} values`);
  return values;
}

function single(raw: unknown, field: string): string {
  const values = valuesOf(raw, field);
  if (values.length !== 1 || Array.isArray(raw)) throw bad(field, 'give one value');
  return values[0] ?? '';
}

function checked(values: string[], re: RegExp, field: string, what: string): string[] {
  for (const v of values) if (!re.test(v)) throw bad(field, `not ${what}`);
  return [...new Set(values)];
}

function versionsOf(raw: unknown): VersionSelection {
  const values = [...new Set(valuesOf(raw, 'match[version]'))];
  if (values.includes('all')) return 'all';
  for (const v of values) {
    if (v !== 'first' && v !== 'last' && !TIMESTAMP_RE.test(v))
      throw bad('match[version]', 'not first, last, all or a timestamp');
  }
  if (values.length === 1 && (values[0] === 'first' || values[0] === 'last')) return values[0];
  // TAXII 2.1 §3.4.2: several values select the union — e.g. `first,last`, or `last` and a timestamp.
  return values;
}

function limitOf(raw: unknown): number {
  const text = single(raw, 'limit');
  if (!/^\d{1,9}$/.test(text) || Number(text) < 1) throw bad('limit', 'a positive integer');
  return Math.min(Number(text), MAX_PAGE);
}

/**
 * Parses the TAXII filters of a request (TAXII 2.1 §3.4): `added_after`, `limit`, `next` and
 * `match[<field>]`. A filter the endpoint does not support, or an unknown `match[…]` field, is a
 * 400 rather than being ignored, so a client never mistakes an unfiltered answer for a filtered one.
 * Other query parameters are ignored.
 */
export function parseFilters(query: unknown, supported: readonly FilterParam[]): TaxiiFilter {
  const q = (query ?? {}) as Readonly<Record<string, unknown>>;
  const out: {
    -readonly [K in keyof TaxiiFilter]: TaxiiFilter[K];
  } = { limit: DEFAULT_PAGE };
  for (const [key, raw] of Object.entries(q)) {
    const match = /^match\[(.*)\]$/.exec(key);
    const param = match === null ? key : match[1];
    const isMatch = match !== null;
    const known: FilterParam | undefined = isMatch
      ? (['id', 'type', 'version', 'spec_version'] as const).find((f) => f === param)
      : (['added_after', 'limit', 'next'] as const).find((f) => f === param);
    if (known === undefined) {
      if (isMatch) throw bad(key, 'this server does not filter on that field');
      continue;
    }
    if (!supported.includes(known)) throw bad(key, 'not supported by this endpoint');
    switch (known) {
      case 'added_after': {
        const v = single(raw, key);
        if (!TIMESTAMP_RE.test(v)) throw bad(key, 'not an RFC 3339 UTC timestamp');
        out.addedAfter = v;
        break;
      }
      case 'limit':
        out.limit = limitOf(raw);
        break;
      case 'next':
        out.cursor = single(raw, key);
        break;
      case 'id':
        out.ids = checked(valuesOf(raw, key), ID_RE, key, 'a STIX identifier');
        break;
      case 'type':
        out.types = checked(valuesOf(raw, key), TYPE_RE, key, 'a STIX type name');
        break;
      case 'version':
        out.versions = versionsOf(raw);
        break;
      case 'spec_version':
        out.specVersions = checked(valuesOf(raw, key), SPEC_VERSION_RE, key, 'a version such as 2.1');
        break;
    }
  }
  return out;
}
