import { createHash } from 'node:crypto';
import { canonicalJson } from '../../core/canonical-json.ts';
import type { EventRow } from './entry.ts';

/**
 * The first entry version, written until issue 9 and kept in every log that has it (the log is
 * append-only: an entry once written is never rewritten). It carried the actor's member and
 * organization ids and the subject id in clear, and a salted digest of the details only. Receipts
 * of such entries are still issued and checked, so this is its reference definition; nothing
 * writes it any more.
 */
export interface PublicEntryV1 {
  readonly v: 1;
  readonly id: string;
  readonly at: string;
  readonly actor: { readonly type: string; readonly id: string | null; readonly org: string | null };
  readonly action: string;
  readonly subject: { readonly type: string; readonly id: string | null };
  readonly digest: string;
}

/** The columns of an audit event that a version-1 entry is made from. */
export type EventRowV1 = Pick<
  EventRow,
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

/** `sha256(salt ‖ canonical details)`: the version-1 digest, over the details alone. */
export function detailsDigest(salt: string, details: string): string {
  const h = createHash('sha256').update(Buffer.from(salt, 'base64url')).update(details, 'utf8');
  return `sha256:${h.digest('hex')}`;
}

export function publicEntryV1(event: EventRowV1, salt: string): PublicEntryV1 {
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

/** The exact bytes of a version-1 entry: RFC 8785 canonical JSON of `publicEntryV1`. */
export function canonicalEntryV1(event: EventRowV1, salt: string): string {
  return canonicalJson(publicEntryV1(event, salt));
}
