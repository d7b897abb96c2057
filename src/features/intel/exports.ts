import { hexDigestLength, type PropTest, parsePattern, propTests } from '../../patterns/index.ts';
import { checkObservableValue, isUnspecifiedAddress, isValueType, type ValueType } from '../../stix/index.ts';
import type { IntelVersion } from './views.ts';

/**
 * Export formats for the tools members already run (issue 4 §6), written page by page so an export
 * streams in constant memory (issue 10 §4; export-stream.ts drives it). Everything here is computed
 * from visible versions only; the caller applies the rule.
 *
 * Stored objects are attacker-controlled and may predate today's validation, so every entry is
 * checked again on the way out with the same value checks as on the way in (`src/stix/values/`):
 * an export never emits an entry a device would misread.
 */
export type BlocklistKind = 'ip' | 'domain' | 'url' | 'hash';

const TYPES_FOR: Readonly<Record<Exclude<BlocklistKind, 'hash'>, readonly ValueType[]>> = {
  ip: ['ipv4-addr', 'ipv6-addr'],
  domain: ['domain-name'],
  url: ['url'],
};

/** Whitespace, control and format characters: a list parser would split on or mis-render them. */
const UNSAFE_RE = /[\s\p{Cc}\p{Cf}]/u;

/**
 * The blocklist entry for an observable value, or undefined when none may be emitted: an invalid
 * value, the unspecified address (`0.0.0.0`, `::`: "any" to many firewalls), a URL with `*` (a
 * wildcard to URL filters). Domain names are emitted in A-label form.
 */
function valueEntry(kind: BlocklistKind, type: string, value: unknown): string | undefined {
  if (kind === 'hash' || typeof value !== 'string' || !isValueType(type)) return undefined;
  if (!TYPES_FOR[kind].includes(type)) return undefined;
  const check = checkObservableValue(type, value);
  if (!check.ok) return undefined;
  if (kind === 'ip' && isUnspecifiedAddress(check.canonical)) return undefined;
  if (kind === 'url' && check.canonical.includes('*')) return undefined;
  return check.canonical;
}

/** A hex digest of an algorithm of known size (MD5, SHA-1, SHA-256, …), lower-cased. */
function hashEntry(algorithm: string, digest: unknown): string | undefined {
  const length = hexDigestLength(algorithm);
  if (length === undefined || typeof digest !== 'string') return undefined;
  return digest.length === length && /^[0-9a-fA-F]+$/.test(digest) ? digest.toLowerCase() : undefined;
}

/** What a pattern test asserts equal: `[type:value = 'x']`, `IN (…)`; never `!=`, `NOT` or `LIKE`. */
function* equalStrings(test: PropTest): Generator<string> {
  if (test.kind === 'exists' || test.negated) return;
  const values =
    test.kind === 'in' ? test.values : test.kind === 'compare' && test.op === '=' ? [test.value] : [];
  for (const v of values) if (v.kind === 'string') yield v.value;
}

function* patternEntries(kind: BlocklistKind, pattern: string): Generator<string | undefined> {
  let tests: Iterable<PropTest>;
  try {
    tests = propTests(parsePattern(pattern).expression);
  } catch {
    return; // a stored pattern that does not parse (shared before patterns were checked)
  }
  for (const test of tests) {
    const [first, second, ...rest] = test.path.steps;
    const type = test.path.objectType;
    for (const value of equalStrings(test)) {
      if (kind !== 'hash' && first?.kind === 'key' && first.key === 'value' && second === undefined)
        yield valueEntry(kind, type, value);
      if (kind === 'hash' && type === 'file' && first?.kind === 'key' && first.key === 'hashes')
        if (second?.kind === 'key' && rest.length === 0) yield hashEntry(second.key, value);
    }
  }
}

function* entriesOf(v: IntelVersion, kind: BlocklistKind): Generator<string | undefined> {
  const o = v.object;
  if (kind === 'hash' && v.type === 'file' && typeof o.hashes === 'object' && o.hashes !== null) {
    for (const [algorithm, digest] of Object.entries(o.hashes)) yield hashEntry(algorithm, digest);
  }
  if (kind !== 'hash') yield valueEntry(kind, v.type, o.value);
  if (v.type === 'indicator' && o.pattern_type === 'stix' && typeof o.pattern === 'string')
    yield* patternEntries(kind, o.pattern);
}

const CSV_COLUMNS = [
  'id',
  'type',
  'name',
  'value',
  'pattern',
  'tlp',
  'owner',
  'created',
  'modified',
  'date_added',
  'revoked',
] as const;

/** Line breaks and tabs, which line-oriented readers split records on. */
const CSV_BREAKS_RE = /[\t\n\v\f\r\u0085\u2028\u2029]/g;
/** Other control characters and bidirectional/invisible format characters (they hide text). */
const CSV_HIDDEN_RE = /[\p{Cc}\p{Cf}]/gu;

/**
 * One CSV field: one line (breaks become spaces, other control and format characters U+FFFD, so
 * every record is one line even for readers that ignore RFC 4180 quoting), guarded against
 * spreadsheet formula injection (OWASP "CSV injection"), quoted per RFC 4180.
 */
function csvField(value: unknown): string {
  let s = value === null || value === undefined ? '' : String(value);
  s = s.replace(CSV_BREAKS_RE, ' ').replace(CSV_HIDDEN_RE, '\ufffd');
  if (/^ *[=+\-@]/.test(s)) s = `'${s}`;
  return /[",]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csvRecord(v: IntelVersion): string {
  const o = v.object;
  return [
    v.stixId,
    v.type,
    o.name,
    o.value,
    o.pattern,
    v.tlp,
    v.ownerOrgName,
    v.created,
    v.modified,
    v.dateAdded,
    v.revoked,
  ]
    .map(csvField)
    .join(',');
}

export type ExportFormat =
  | { readonly kind: 'stix' }
  | { readonly kind: 'csv' }
  | { readonly kind: 'blocklist'; readonly list: BlocklistKind };

/**
 * Writes one export: `head()`, then `page()` for each page of versions in order, then `tail()`.
 * The concatenation is the whole file; a file cut short is never valid (a STIX bundle closes only
 * in `tail()`). One writer per export: a blocklist remembers what it already emitted.
 */
export interface ExportWriter {
  head(): string;
  page(versions: readonly IntelVersion[]): string;
  tail(): string;
}

/** A STIX 2.1 bundle (§8), one object per line, so a reader can also split it line by line. */
function stixWriter(): ExportWriter {
  let first = true;
  return {
    head: () => `{"type":"bundle","id":"bundle--${crypto.randomUUID()}","objects":[`,
    page: (versions) => {
      let text = '';
      for (const v of versions) {
        text += `${first ? '\n' : ',\n'}${JSON.stringify(v.object)}`;
        first = false;
      }
      return text;
    },
    tail: () => '\n]}\n',
  };
}

/** RFC 4180 CSV with a header record, CRLF line ends. */
function csvWriter(): ExportWriter {
  return {
    head: () => `${CSV_COLUMNS.join(',')}\r\n`,
    page: (versions) => versions.map((v) => `${csvRecord(v)}\r\n`).join(''),
    tail: () => '',
  };
}

/**
 * One value per line, de-duplicated, in the order first seen (objects oldest first): what firewalls
 * and DNS filters ingest. Streaming rules out sorting; de-duplication keeps the distinct entries
 * emitted so far — memory grows with distinct entries (tens of bytes each), never with objects or
 * with the output.
 */
function blocklistWriter(kind: BlocklistKind): ExportWriter {
  const seen = new Set<string>();
  return {
    head: () => '',
    page: (versions) => {
      let text = '';
      for (const v of versions) {
        if (v.revoked) continue;
        for (const entry of entriesOf(v, kind)) {
          // Whitespace inside an entry would inject a second one (`evil.example google.com`).
          if (entry === undefined || entry === '' || UNSAFE_RE.test(entry) || seen.has(entry)) continue;
          seen.add(entry);
          text += `${entry}\n`;
        }
      }
      return text;
    },
    tail: () => '',
  };
}

export function exportWriter(format: ExportFormat): ExportWriter {
  switch (format.kind) {
    case 'stix':
      return stixWriter();
    case 'csv':
      return csvWriter();
    case 'blocklist':
      return blocklistWriter(format.list);
  }
}
