import { canonicalJson } from '../../core/canonical-json.ts';
import { hashLeaf, type NoteVerifier, openCheckpoint, verifyInclusion } from '../../tlog/index.ts';
import { type EventRow, entryBytes } from './entry.ts';
import { canonicalEntryV1 } from './entry-v1.ts';
import type { ReceiptFormat } from './receipts.ts';

/**
 * Why a receipt was refused, besides the log layer's own `BAD_SIGNATURE`, `MALFORMED` (checkpoint)
 * and `INVALID_PROOF` (inclusion proof):
 * - `RECEIPT_MALFORMED`: not a receipt of a known format (a field missing or of the wrong type);
 * - `TREE_SIZE_MISMATCH`: `treeSize` is not the size of the signed checkpoint;
 * - `INDEX_MISMATCH`: the event's `logIndex` is not the receipt's `leafIndex`;
 * - `ENTRY_MISMATCH`: the event and salt do not make the receipt's entry, byte for byte.
 */
export type ReceiptCheckCode =
  | 'RECEIPT_MALFORMED'
  | 'TREE_SIZE_MISMATCH'
  | 'INDEX_MISMATCH'
  | 'ENTRY_MISMATCH';

export class ReceiptCheckError<C extends ReceiptCheckCode = ReceiptCheckCode> extends Error {
  readonly code: C;
  constructor(code: C, message: string) {
    super(message);
    this.name = 'ReceiptCheckError';
    this.code = code;
  }
}

export function isReceiptCheckError(err: unknown): err is ReceiptCheckError {
  return err instanceof ReceiptCheckError;
}

/** What a receipt that checks proves: this event is entry `leafIndex` of `origin` at `treeSize`. */
export interface CheckedReceipt {
  readonly format: ReceiptFormat;
  readonly eventId: string;
  readonly action: string;
  readonly leafIndex: number;
  readonly treeSize: number;
  readonly origin: string;
}

type Json = Readonly<Record<string, unknown>>;

function malformed(field: string): ReceiptCheckError<'RECEIPT_MALFORMED'> {
  const what = field === 'receipt' ? 'it is not a JSON object' : `${field} is missing or of the wrong type`;
  return new ReceiptCheckError('RECEIPT_MALFORMED', what);
}

function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function text(o: Json, key: string, where: string): string {
  const v = o[key];
  if (typeof v !== 'string') throw malformed(`${where}${key}`);
  return v;
}

function textOrNull(o: Json, key: string, where: string): string | null {
  const v = o[key];
  if (v !== null && typeof v !== 'string') throw malformed(`${where}${key}`);
  return v;
}

function index(o: Json, key: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw malformed(key);
  return v;
}

/** The event of a receipt (attacker-controlled) as the row its entry is made from. */
function eventRow(event: unknown, format: ReceiptFormat): EventRow {
  if (!isRecord(event)) throw malformed('event');
  const details = event.details;
  if (!isRecord(details)) throw malformed('event.details');
  let canonicalDetails: string;
  try {
    canonicalDetails = canonicalJson(details);
  } catch {
    throw malformed('event.details');
  }
  // Version-1 entries commit to none of these, and receipts from before issue 9 lack them.
  const v2 = format === 'tabella-receipt/v2';
  return {
    id: text(event, 'id', 'event.'),
    at: text(event, 'at', 'event.'),
    actor_type: text(event, 'actorType', 'event.'),
    actor_id: textOrNull(event, 'actorId', 'event.'),
    actor_org_id: textOrNull(event, 'actorOrgId', 'event.'),
    actor_org_kind: v2 ? textOrNull(event, 'actorOrgKind', 'event.') : null,
    actor_org_role: v2 ? textOrNull(event, 'actorOrgRole', 'event.') : null,
    action: text(event, 'action', 'event.'),
    subject_type: text(event, 'subjectType', 'event.'),
    subject_id: textOrNull(event, 'subjectId', 'event.'),
    subject_org_id: v2 ? textOrNull(event, 'subjectOrgId', 'event.') : null,
    details: canonicalDetails,
  };
}

/**
 * Checks a receipt (attacker-controlled JSON) offline against the log's key: the checkpoint's
 * signature, that the receipt's size and index are the checkpoint's and the event's, that the
 * event and salt make exactly the receipt's entry — so every field of the event is checked, through
 * the digest or in clear — and that the entry is in the tree (RFC 9162 §2.1.3.2). Throws a
 * `ReceiptCheckError` or a `TlogVerifyError`.
 *
 * @example
 * const ok = checkReceipt(JSON.parse(file), [noteVerifierFromKey(vkey)]);
 */
export function checkReceipt(input: unknown, verifiers: readonly NoteVerifier[]): CheckedReceipt {
  if (!isRecord(input)) throw malformed('receipt');
  const format = input.format;
  if (format !== 'tabella-receipt/v1' && format !== 'tabella-receipt/v2') throw malformed('format');
  const row = eventRow(input.event, format);
  const logIndex = (input.event as Json).logIndex;
  const salt = text(input, 'salt', '');
  const entry = text(input, 'entry', '');
  const leafIndex = index(input, 'leafIndex');
  const treeSize = index(input, 'treeSize');
  const note = text(input, 'checkpoint', '');
  const proofIn = input.inclusionProof;
  if (!Array.isArray(proofIn) || !proofIn.every((h) => typeof h === 'string'))
    throw malformed('inclusionProof');

  const { checkpoint } = openCheckpoint(note, verifiers);
  if (checkpoint.size !== treeSize)
    throw new ReceiptCheckError(
      'TREE_SIZE_MISMATCH',
      'the receipt names another tree size than its checkpoint',
    );
  if (logIndex !== leafIndex)
    throw new ReceiptCheckError('INDEX_MISMATCH', "the event's log index is not the receipt's leaf index");
  const expected =
    format === 'tabella-receipt/v1' ? canonicalEntryV1(row, salt) : entryBytes(row, salt).toString('utf8');
  if (expected !== entry)
    throw new ReceiptCheckError('ENTRY_MISMATCH', 'the event and salt do not make the logged entry');
  const proof = (proofIn as readonly string[]).map((h) => Buffer.from(h, 'base64'));
  verifyInclusion(hashLeaf(Buffer.from(entry, 'utf8')), leafIndex, treeSize, proof, checkpoint.rootHash);
  return { format, eventId: row.id, action: row.action, leafIndex, treeSize, origin: checkpoint.origin };
}
