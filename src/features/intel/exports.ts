import type { IntelVersion } from './views.ts';

/**
 * Export formats for the tools members already run (issue 4 §6). Everything here is computed from
 * visible versions only; the caller applies the rule.
 */
export type BlocklistKind = 'ip' | 'domain' | 'url' | 'hash';

const SCO_FOR: Readonly<Record<BlocklistKind, readonly string[]>> = {
  ip: ['ipv4-addr', 'ipv6-addr'],
  domain: ['domain-name'],
  url: ['url'],
  hash: ['file'],
};

/** Values of simple equality comparisons in indicator patterns, e.g. `[ipv4-addr:value = '…']`. */
const PATTERN_VALUE = /\[?\s*(ipv4-addr|ipv6-addr|domain-name|url):value\s*=\s*'((?:[^'\\]|\\.)*)'/g;
const PATTERN_HASH = /file:hashes\.(?:'[^']+'|[A-Za-z0-9-]+)\s*=\s*'([0-9A-Fa-f]{32,128})'/g;

function unescapePatternString(s: string): string {
  return s.replace(/\\(.)/g, '$1');
}

/** One value per line, sorted, de-duplicated: what firewalls and DNS filters ingest. */
export function blocklist(versions: readonly IntelVersion[], kind: BlocklistKind): string {
  const out = new Set<string>();
  for (const v of versions) {
    const o = v.object;
    if (v.revoked) continue;
    if (SCO_FOR[kind].includes(v.type)) {
      if (kind === 'hash') {
        const hashes = o.hashes;
        if (hashes !== null && typeof hashes === 'object') {
          for (const h of Object.values(hashes))
            if (typeof h === 'string' && /^[0-9A-Fa-f]{32,128}$/.test(h)) out.add(h.toLowerCase());
        }
      } else if (typeof o.value === 'string') {
        out.add(o.value);
      }
    }
    if (v.type === 'indicator' && o.pattern_type === 'stix' && typeof o.pattern === 'string') {
      if (kind === 'hash') {
        for (const m of o.pattern.matchAll(PATTERN_HASH)) out.add((m[1] ?? '').toLowerCase());
      } else {
        for (const m of o.pattern.matchAll(PATTERN_VALUE)) {
          if (SCO_FOR[kind].includes(m[1] ?? '')) out.add(unescapePatternString(m[2] ?? ''));
        }
      }
    }
  }
  // Newlines — or any whitespace, which many list parsers split on — inside a value would inject
  // entries into a device's list (`evil.example google.com`): drop such values.
  const values = [...out].filter((x) => x !== '' && !/\s/.test(x));
  return values.sort().join('\n') + (values.length > 0 ? '\n' : '');
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

/** RFC 4180 field, guarded against spreadsheet formula injection (OWASP "CSV injection"). */
function csvField(value: unknown): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csv(versions: readonly IntelVersion[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const v of versions) {
    const o = v.object;
    lines.push(
      [
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
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
