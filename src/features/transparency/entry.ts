import { createHash, randomBytes } from 'node:crypto';
import type { Selectable } from 'kysely';
import { canonicalJson } from '../../core/canonical-json.ts';
import type { AuditEventsTable } from '../../db/schema.ts';
import { ORG_KINDS, ORG_ROLES } from '../../policy/index.ts';
import { entryFacets, type FacetValue, hasFacets, isPublicSubject } from './facets.ts';

/**
 * The public log entry of an audit event (version 2, issue 9): RFC 8785 canonical JSON of what the
 * public may know — the action, the time, the actor's type and sector (its organization's kind and
 * role), the subject's type, and the action's facets (`facets.ts`). No identifier of a member,
 * organization, token, group, case or object appears in clear, except the id of a subject that is
 * public itself; the whole event lives only inside `digest`, `sha256(salt ‖ canonical event)`,
 * with a random 128-bit salt, so that whoever holds the event and its salt (a receipt) can prove
 * what the entry commits to, and nobody else can test a guess.
 */
export interface PublicEntry {
  readonly v: 2;
  readonly at: string;
  readonly action: string;
  readonly actor: { readonly type: string; readonly kind?: string; readonly role?: string };
  readonly subject: { readonly type: string; readonly id?: string };
  readonly facets: Readonly<Record<string, FacetValue>>;
  readonly digest: string;
}

/** The columns of an audit event that its log entry is made from: all of the event. */
export type EventRow = Pick<
  Selectable<AuditEventsTable>,
  | 'id'
  | 'at'
  | 'actor_type'
  | 'actor_id'
  | 'actor_org_id'
  | 'actor_org_kind'
  | 'actor_org_role'
  | 'action'
  | 'subject_type'
  | 'subject_id'
  | 'subject_org_id'
  | 'details'
>;

export function newSalt(): string {
  return randomBytes(16).toString('base64url');
}

/** Salts for a whole batch from one call into the CSPRNG. */
export function newSalts(n: number): string[] {
  const pool = randomBytes(16 * n);
  return Array.from({ length: n }, (_, i) => pool.subarray(i * 16, (i + 1) * 16).toString('base64url'));
}

/** Printable ASCII without `"` or `\`: the strings whose JSON form is themselves in quotes. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/**
 * `JSON.stringify` of a string or null, skipping the escaping pass for plain ASCII — ids, times and
 * action codes almost always are — which halves the cost of writing a commitment.
 */
function str(value: string | null): string {
  if (value === null) return 'null';
  return PLAIN.test(value) ? `"${value}"` : JSON.stringify(value);
}

/**
 * The canonical JSON the digest commits to: every field of the event, the details as the JSON
 * value they are stored as (already RFC 8785 canonical, `record.ts`), and the entry version, so a
 * commitment can never be read as another version's. Written out with the keys already in RFC 8785
 * order — action, actor{id, kind, org, role, type}, at, details, id, subject{id, org, type}, v —
 * because the sequencer does this for every event; `canonicalCommitment` is the reference form.
 */
export function eventCommitment(event: EventRow): string {
  return (
    `{"action":${str(event.action)},"actor":{"id":${str(event.actor_id)},"kind":${str(event.actor_org_kind)},` +
    `"org":${str(event.actor_org_id)},"role":${str(event.actor_org_role)},"type":${str(event.actor_type)}},` +
    `"at":${str(event.at)},"details":${event.details},"id":${str(event.id)},` +
    `"subject":{"id":${str(event.subject_id)},"org":${str(event.subject_org_id)},"type":${str(event.subject_type)}},"v":2}`
  );
}

/** The reference form of `eventCommitment`, for tests and readers. */
export function canonicalCommitment(event: EventRow): string {
  return canonicalJson({
    action: event.action,
    actor: {
      id: event.actor_id,
      kind: event.actor_org_kind,
      org: event.actor_org_id,
      role: event.actor_org_role,
      type: event.actor_type,
    },
    at: event.at,
    details: JSON.parse(event.details) as unknown,
    id: event.id,
    subject: { id: event.subject_id, org: event.subject_org_id, type: event.subject_type },
    v: 2,
  });
}

/** `sha256(salt ‖ commitment)`, the salt decoded from base64url. */
export function eventDigest(salt: string, event: EventRow): string {
  const h = createHash('sha256')
    .update(Buffer.from(salt, 'base64url'))
    .update(eventCommitment(event), 'utf8');
  return `sha256:${h.digest('hex')}`;
}

const KINDS: ReadonlySet<string> = new Set(ORG_KINDS);
const ROLES: ReadonlySet<string> = new Set(ORG_ROLES);
const NO_FACETS: Readonly<Record<string, FacetValue>> = Object.freeze({});

/** Stored details that do not parse publish no facet, rather than stopping the sequencer. */
function facetsOf(event: EventRow): Readonly<Record<string, FacetValue>> {
  if (!hasFacets(event.action)) return NO_FACETS;
  try {
    return entryFacets(event.action, JSON.parse(event.details));
  } catch {
    return NO_FACETS;
  }
}

/** The sector is published only as words of the membership vocabularies. */
const sectorKind = (event: EventRow) =>
  event.actor_org_kind !== null && KINDS.has(event.actor_org_kind) ? event.actor_org_kind : undefined;
const sectorRole = (event: EventRow) =>
  event.actor_org_role !== null && ROLES.has(event.actor_org_role) ? event.actor_org_role : undefined;

export function publicEntry(event: EventRow, salt: string): PublicEntry {
  const facets = facetsOf(event);
  const subjectId =
    event.subject_id !== null && isPublicSubject(event.action, facets) ? { id: event.subject_id } : {};
  const kind = sectorKind(event);
  const role = sectorRole(event);
  return {
    v: 2,
    at: event.at,
    action: event.action,
    actor: {
      type: event.actor_type,
      ...(kind === undefined ? {} : { kind }),
      ...(role === undefined ? {} : { role }),
    },
    subject: { type: event.subject_type, ...subjectId },
    facets,
    digest: eventDigest(salt, event),
  };
}

/**
 * The exact bytes appended to the log for an event: `canonicalJson(publicEntry(event, salt))`,
 * written out with the keys already in RFC 8785 order (action, actor{kind, role, type}, at, digest,
 * facets, subject{id, type}, v) because the sequencer does this for every event. A test holds the
 * two equal.
 */
export function entryBytes(event: EventRow, salt: string): Buffer {
  const facets = facetsOf(event);
  const kind = sectorKind(event);
  const role = sectorRole(event);
  const publicId = event.subject_id !== null && isPublicSubject(event.action, facets);
  const text =
    `{"action":${str(event.action)},"actor":{${kind === undefined ? '' : `"kind":${str(kind)},`}` +
    `${role === undefined ? '' : `"role":${str(role)},`}"type":${str(event.actor_type)}},"at":${str(event.at)},` +
    `"digest":${str(eventDigest(salt, event))},"facets":${JSON.stringify(facets)},` +
    `"subject":{${publicId ? `"id":${str(event.subject_id)},` : ''}"type":${str(event.subject_type)}},"v":2}`;
  return Buffer.from(text, 'utf8');
}

/** The reference form of `entryBytes`, for tests and readers. */
export function canonicalEntry(event: EventRow, salt: string): string {
  return canonicalJson(publicEntry(event, salt));
}
