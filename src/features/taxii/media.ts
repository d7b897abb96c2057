import { TabellaError } from '../../core/errors.ts';

/** TAXII 2.1 §1.6.8: the media type of every TAXII resource, envelopes included. */
export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';
/** The media type of the STIX objects a collection holds (collection `media_types`, manifest). */
export const STIX_MEDIA_TYPE = 'application/stix+json;version=2.1';

interface MediaRange {
  readonly type: string;
  readonly subtype: string;
  readonly params: ReadonlyMap<string, string>;
}

/** Parses one media range (`type/subtype;param=value`), attacker-controlled, lower-casing names. */
function parseRange(text: string): MediaRange | undefined {
  const [essence = '', ...rest] = text.split(';');
  const [type, subtype, extra] = essence.trim().toLowerCase().split('/');
  if (type === undefined || subtype === undefined || extra !== undefined || type === '' || subtype === '')
    return undefined;
  const params = new Map<string, string>();
  for (const p of rest) {
    const i = p.indexOf('=');
    if (i < 0) continue;
    params.set(
      p.slice(0, i).trim().toLowerCase(),
      p
        .slice(i + 1)
        .trim()
        .replace(/^"(.*)"$/, '$1'),
    );
  }
  return { type, subtype, params };
}

/** `application/taxii+json` with no version (the latest, TAXII 2.1 §1.6.8.1) or version 2.1. */
function isTaxii21(r: MediaRange): boolean {
  const version = r.params.get('version');
  return (
    r.type === 'application' && r.subtype === 'taxii+json' && (version === undefined || version === '2.1')
  );
}

/**
 * Whether an `Accept` header (attacker-controlled) lets us answer `application/taxii+json;version=2.1`
 * (TAXII 2.1 §1.6.8.1): the TAXII media type without a version or with version 2.1, or a range
 * that covers it (`application/*`, `*\/*`, RFC 9110 §12.5.1), unless its weight is `q=0`. A
 * missing header is refused: TAXII clients must say which version they speak.
 */
export function acceptsTaxii(header: string | undefined): boolean {
  if (header === undefined || header.trim() === '') return false;
  return header.split(',').some((item) => {
    const r = parseRange(item);
    if (r === undefined) return false;
    const q = r.params.get('q');
    if (q !== undefined && Number(q) === 0) return false;
    if (r.type === '*' && r.subtype === '*') return true;
    if (r.type === 'application' && r.subtype === '*') return true;
    return isTaxii21(r);
  });
}

/** Whether a request body's `Content-Type` (attacker-controlled) is TAXII 2.1 (§1.6.8.1, §5.4). */
export function isTaxiiContentType(header: string | undefined): boolean {
  if (header === undefined) return false;
  const r = parseRange(header);
  return r !== undefined && isTaxii21(r);
}

export function assertAcceptable(header: string | undefined): void {
  if (!acceptsTaxii(header)) {
    throw new TabellaError('NOT_ACCEPTABLE', `send Accept: ${TAXII_MEDIA_TYPE}`);
  }
}

export function assertTaxiiBody(header: string | undefined): void {
  if (!isTaxiiContentType(header)) {
    throw new TabellaError('UNSUPPORTED_MEDIA_TYPE', `send Content-Type: ${TAXII_MEDIA_TYPE}`);
  }
}
