import { TabellaError } from '../../core/errors.ts';

const TS_RE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/;

/**
 * RFC 3339 UTC timestamps (STIX 2.1 §3.2, TAXII 2.1 §3.1) of any sub-second precision, normalized
 * to nine fraction digits so they compare correctly as text in both databases.
 */
export function normalizeTimestamp(value: string): string | undefined {
  const m = TS_RE.exec(value);
  if (m === null) return undefined;
  return `${m[1]}.${(m[2] ?? '').padEnd(9, '0')}Z`;
}

export function requireTimestamp(value: string, field: string): string {
  const n = normalizeTimestamp(value);
  if (n === undefined)
    throw new TabellaError('VALIDATION_FAILED', `${field}: not an RFC 3339 UTC timestamp`, {
      fields: [field],
    });
  return n;
}

/** The version key of objects without `modified` (SCOs, some meta objects): one version only. */
export const UNVERSIONED = '0000-00-00T00:00:00.000000000Z';

let lastMicros = 0;
let prefixMs = -1;
let prefix = '';

/** The microseconds since the epoch of a stored `date_added` (nine fraction digits). */
function microsOf(stored: string): number {
  return Date.parse(`${stored.slice(0, 23)}Z`) * 1000 + Number(stored.slice(23, 26));
}

/**
 * `date_added` for a new row: microsecond precision, strictly increasing within this process and
 * strictly after `after` (the latest `date_added` already committed, read under the write lock —
 * intel-store.ts `lockDateOrder`), so dates follow commit order across processes and nodes whose
 * clocks disagree, and `added_after` paging never has to split equal timestamps (TAXII 2.1 §3.4.1).
 */
export function nextDateAdded(nowMs: number, after?: string | null): string {
  const floor = after === undefined || after === null ? 0 : microsOf(after) + 1;
  const micros = Math.max(nowMs * 1000, lastMicros + 1, floor);
  lastMicros = micros;
  const ms = Math.floor(micros / 1000);
  if (ms !== prefixMs) {
    prefixMs = ms;
    prefix = new Date(ms).toISOString().slice(0, 23); // …SS.mmm
  }
  return `${prefix}${String(micros % 1000).padStart(3, '0')}000Z`;
}

/** Shows a stored `date_added` as TAXII expects it (RFC 3339, microseconds). */
export function displayTimestamp(normalized: string): string {
  return normalized.replace(/(\.\d{6})\d{3}Z$/, '$1Z');
}
