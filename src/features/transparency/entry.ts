import { createHash, randomBytes } from 'node:crypto';
import type { Selectable } from 'kysely';
import { canonicalJson } from '../../core/canonical-json.ts';
import type { AuditEventsTable } from '../../db/schema.ts';

/**
 * The public log entry of an audit event: RFC 8785 canonical JSON of its public part. The details
 * are represented only by a salted digest — `sha256(salt ‖ canonical details)` — so the log can be
 * public forever while whoever holds the full event (and its salt) can prove what it said.
 */
export interface PublicEntry {
  readonly v: 1;
  readonly id: string;
  readonly at: string;
  readonly actor: { readonly type: string; readonly id: string | null; readonly org: string | null };
  readonly action: string;
  readonly subject: { readonly type: string; readonly id: string | null };
  readonly digest: string;
}

export function newSalt(): string {
  return randomBytes(16).toString('base64url');
}

/** Salts for a whole batch from one call into the CSPRNG. */
export function newSalts(n: number): string[] {
  const pool = randomBytes(16 * n);
  return Array.from({ length: n }, (_, i) => pool.subarray(i * 16, (i + 1) * 16).toString('base64url'));
}

export function detailsDigest(salt: string, details: string): string {
  const h = createHash('sha256').update(Buffer.from(salt, 'base64url')).update(details, 'utf8');
  return `sha256:${h.digest('hex')}`;
}

/** The columns of an audit event that its log entry is made from. */
export type EventRow = Pick<
  Selectable<AuditEventsTable>,
  | 'id'
  | 'at'
  | 'actor_type'
  | 'actor_id'
  | 'actor_org_id'
  | 'action'
  | 'subject_type'
  | 'subject_id'
  | 'details'
>;

export function publicEntry(event: EventRow, salt: string): PublicEntry {
  return {
    v: 1,
    id: event.id,
    at: event.at,
    actor: { type: event.actor_type, id: event.actor_id, org: event.actor_org_id },
    action: event.action,
    subject: { type: event.subject_type, id: event.subject_id },
    digest: detailsDigest(salt, event.details),
  };
}

const str = JSON.stringify;

/**
 * The exact bytes appended to the log for an event: `canonicalJson(publicEntry(event, salt))`,
 * written out with the keys already in RFC 8785 order (action, actor{id, org, type}, at, digest, id,
 * subject{id, type}, v) because the sequencer does this for every event. A test holds the two equal.
 */
export function entryBytes(event: EventRow, salt: string): Buffer {
  const text =
    `{"action":${str(event.action)},"actor":{"id":${str(event.actor_id)},"org":${str(event.actor_org_id)},` +
    `"type":${str(event.actor_type)}},"at":${str(event.at)},"digest":${str(detailsDigest(salt, event.details))},` +
    `"id":${str(event.id)},"subject":{"id":${str(event.subject_id)},"type":${str(event.subject_type)}},"v":1}`;
  return Buffer.from(text, 'utf8');
}

/** The reference form of `entryBytes`, for tests and readers. */
export function canonicalEntry(event: EventRow, salt: string): string {
  return canonicalJson(publicEntry(event, salt));
}
