// Wire types of the intelligence API (docs/sharing.md, section "REST"). Everything inside a STIX
// object — names, descriptions, patterns, values — is attacker-controlled: render it as text only.

export const TLPS = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;
export type Tlp = (typeof TLPS)[number];
/**
 * What the server stores. `unknown`: the object references a marking definition that is neither
 * TLP nor one the server holds, so it is visible to its owner only (docs/sharing.md "Markings").
 */
export type StoredTlp = Tlp | 'unknown';

export const TLP_LABELS: Readonly<Record<StoredTlp, string>> = {
  clear: 'TLP:CLEAR',
  green: 'TLP:GREEN',
  amber: 'TLP:AMBER',
  'amber+strict': 'TLP:AMBER+STRICT',
  red: 'TLP:RED',
  unknown: 'Unknown marking',
};

/** What `unknown` means, wherever the web app shows it (the owner is the only one who sees it). */
export const UNKNOWN_MARKING_MEANING =
  'This object references a marking definition that is neither a TLP marking nor one this Tabella ' +
  'holds (shared here, or sent with the object). A marking Tabella does not know cannot be honoured, ' +
  'so only your organization sees the object. Share the marking definition, then share the object ' +
  'again as a new version.';

/** Said of an object with granular markings (STIX 2.1 §7.2.3): how its TLP was reached. */
export const GRANULAR_MARKINGS_MEANING =
  'Parts of this object carry their own markings. Its TLP is the strictest of all its TLP markings, ' +
  'and it reaches only the audience that TLP allows, whole.';

/** Who may see it, in the words of TLP 2.0 (shown next to the choice). */
export const TLP_MEANINGS: Readonly<Record<Tlp, string>> = {
  clear: 'No limit on disclosure; may be public.',
  green: 'The community of vetted members; never public.',
  amber: 'Recipient organizations, on a need-to-know basis.',
  'amber+strict': 'Recipient organizations only, never their clients or partners; cannot be relayed.',
  red: 'Only the named organizations; cannot be relayed.',
};

export type DistributionKind = 'org' | 'orgs' | 'group' | 'community' | 'public';

export const DISTRIBUTION_LABELS: Readonly<Record<DistributionKind, string>> = {
  org: 'Own organization',
  orgs: 'Named organizations',
  group: 'Sharing group',
  community: 'Community',
  public: 'Public',
};

export type Distribution =
  | { readonly kind: 'org' }
  | { readonly kind: 'orgs'; readonly orgIds: readonly string[] }
  | { readonly kind: 'group'; readonly groupId: string; readonly futureMembers?: boolean }
  | { readonly kind: 'community' }
  | { readonly kind: 'public' };

export type IntelSource = 'web' | 'rest' | 'taxii' | 'import' | 'feed';

/** A STIX object as stored: JSON of unknown shape, read defensively. */
export type StixObject = Readonly<Record<string, unknown>>;

/** One stored version of a STIX object, as the actor may see it. */
export interface IntelVersion {
  readonly stixId: string;
  readonly type: string;
  readonly specVersion: string;
  readonly created: string | null;
  readonly modified: string | null;
  readonly dateAdded: string;
  readonly ownerOrgId: string;
  readonly ownerOrgName: string;
  readonly source: IntelSource;
  readonly tlp: StoredTlp;
  readonly distribution: DistributionKind;
  readonly groupId: string | null;
  readonly revoked: boolean;
  readonly object: StixObject;
}

export interface IntelPage {
  readonly items: readonly IntelVersion[];
  readonly next: string | null;
}

export interface VersionRef {
  readonly id: string;
  readonly version: string;
}

export interface ShareFailure {
  /** Position of the object in what was sent (0-based). */
  readonly index?: number;
  readonly id?: string;
  readonly version?: string;
  readonly code: string;
  readonly message: string;
}

export interface ShareResult {
  readonly successes: readonly VersionRef[];
  readonly failures: readonly ShareFailure[];
}

export interface SharingGroup {
  readonly id: string;
  readonly name: string;
  readonly ownerOrgId: string;
  readonly orgIds: readonly string[];
  readonly createdAt: string;
}

/** The filters of the Intelligence page; also those of every export URL. */
export interface IntelFilters {
  readonly type: string;
  readonly tlp: string;
  readonly org: string;
  /** `YYYY-MM-DD` (local date) — objects added after its start. */
  readonly addedAfter: string;
  readonly q: string;
}

export const NO_INTEL_FILTERS: IntelFilters = { type: '', tlp: '', org: '', addedAfter: '', q: '' };

/** The STIX types offered in the type filter (any type may be typed). */
export const COMMON_TYPES = [
  'indicator',
  'malware',
  'threat-actor',
  'intrusion-set',
  'campaign',
  'attack-pattern',
  'tool',
  'vulnerability',
  'identity',
  'infrastructure',
  'observed-data',
  'sighting',
  'relationship',
  'report',
  'note',
  'course-of-action',
  'ipv4-addr',
  'ipv6-addr',
  'domain-name',
  'url',
  'file',
  'email-addr',
] as const;

/** `2026-03-01` (local date) as the RFC 3339 instant of its start; null when empty or invalid. */
export function dateToIso(value: string): string | null {
  if (value === '') return null;
  const d = new Date(`${value}T00:00:00`);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** The query string of `GET /intel` and the exports for these filters (without limit/cursor). */
export function intelQuery(filters: IntelFilters): URLSearchParams {
  const q = new URLSearchParams();
  if (filters.type.trim() !== '') q.set('type', filters.type.trim());
  if (filters.tlp !== '') q.set('tlp', filters.tlp);
  if (filters.org !== '') q.set('org', filters.org);
  const after = dateToIso(filters.addedAfter);
  if (after !== null) q.set('added_after', after);
  if (filters.q.trim() !== '') q.set('q', filters.q.trim());
  return q;
}

export function intelPath(stixId: string): string {
  return `/intel/${encodeURIComponent(stixId)}`;
}

export function apiIntelPath(stixId: string): string {
  return `/api/v1/intel/${encodeURIComponent(stixId)}`;
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

/** The type part of a STIX id ("threat-actor" of "threat-actor--…"), for compact labels. */
function refType(ref: unknown): string {
  const r = str(ref);
  return r === null ? '?' : (r.split('--')[0] ?? r);
}

/** A short human label for an object: its name, value, pattern, or what it links. Text only. */
export function objectLabel(v: IntelVersion): string {
  const o = v.object;
  const named = str(o.name) ?? str(o.value) ?? str(o.pattern);
  if (named !== null) return named;
  if (v.type === 'relationship') {
    return `${refType(o.source_ref)} ${str(o.relationship_type) ?? 'related-to'} ${refType(o.target_ref)}`;
  }
  if (v.type === 'sighting') return `Sighting of ${refType(o.sighting_of_ref)}`;
  const hashes = o.hashes;
  if (typeof hashes === 'object' && hashes !== null) {
    const first = Object.entries(hashes)[0];
    if (first !== undefined && typeof first[1] === 'string') return `${first[0]} ${first[1]}`;
  }
  return v.stixId;
}

/** A bundle, an array of objects or one object, as the body of `POST /intel`; an error message otherwise. */
export function shareBody(
  text: string,
):
  | { ok: true; count: number; body: { objects?: unknown[]; bundle?: unknown } }
  | { ok: false; error: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `This is not valid JSON: ${e instanceof Error ? e.message : 'parse error'}` };
  }
  if (Array.isArray(parsed)) {
    if (parsed.length === 0) return { ok: false, error: 'The list holds no objects.' };
    return { ok: true, count: parsed.length, body: { objects: parsed } };
  }
  if (typeof parsed !== 'object' || parsed === null) {
    return { ok: false, error: 'Paste a STIX object, a list of objects, or a bundle.' };
  }
  const rec = parsed as Record<string, unknown>;
  if (rec.type === 'bundle') {
    const objects = rec.objects;
    if (!Array.isArray(objects) || objects.length === 0) {
      return { ok: false, error: 'The bundle holds no objects.' };
    }
    return { ok: true, count: objects.length, body: { bundle: parsed } };
  }
  if (typeof rec.type !== 'string') {
    return { ok: false, error: 'A STIX object needs a "type" (or paste a bundle).' };
  }
  return { ok: true, count: 1, body: { objects: [parsed] } };
}
