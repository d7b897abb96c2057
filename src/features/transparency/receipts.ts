import { TabellaError } from '../../core/errors.ts';
import { asyncTileHashReader, HASH_SIZE, inclusionProofAsync } from '../../tlog/index.ts';
import { recordAudit } from '../audit/record.ts';
import type { ServiceContext } from '../context.ts';
import { type AuditEventView, toAuditEventView, visibleEvents } from './audit-trail.ts';
import { readCheckpointNote, readLoggedEntry } from './log-resources.ts';
import { getLogState, readTile } from './log-store.ts';

/** A receipt's format names the version of its entry: v2 entries (issue 9) or the first ones. */
export type ReceiptFormat = 'tabella-receipt/v1' | 'tabella-receipt/v2';

/**
 * A receipt: the full event, the salt and exact log entry that commit to it, and an inclusion proof
 * against a signed checkpoint — everything needed to check offline, with only the log's public key,
 * that this event is in the log (`tabella audit check-receipt`, `checkReceipt`).
 */
export interface Receipt {
  readonly format: ReceiptFormat;
  readonly event: AuditEventView;
  readonly salt: string;
  /** The log entry (RFC 8785 canonical JSON), exactly as the log holds it. */
  readonly entry: string;
  readonly leafIndex: number;
  readonly treeSize: number;
  /** The signed checkpoint (with witness cosignatures) the proof leads to. */
  readonly checkpoint: string;
  /** RFC 9162 §2.1.3 inclusion proof, base64 hashes. */
  readonly inclusionProof: readonly string[];
}

export async function getReceipt(ctx: ServiceContext, eventId: string): Promise<Receipt> {
  const row = await visibleEvents(ctx.db, ctx).where('id', '=', eventId).executeTakeFirst();
  if (row === undefined) throw new TabellaError('NOT_FOUND', 'audit event not found');
  if (row.log_index === null || row.salt === null) {
    throw new TabellaError('EVENT_NOT_LOGGED', 'the event is not in the log yet; ask again in a few seconds');
  }
  const state = await getLogState(ctx.db);
  if (state === undefined || state.size <= row.log_index) {
    throw new TabellaError('EVENT_NOT_LOGGED', 'the event is not in the log yet; ask again in a few seconds');
  }
  const size = state.size;
  const reader = asyncTileHashReader(size, async (tile) => {
    const stored = await readTile(ctx.db, tile.level, tile.index);
    return stored === undefined || stored.width < tile.width
      ? undefined
      : stored.data.subarray(0, tile.width * HASH_SIZE);
  });
  const proof = await inclusionProofAsync(reader, row.log_index, size);
  // The entry as logged, not as the stored event would make it today: a changed event then fails
  // its check instead of presenting an entry the tree does not hold. Its version names the format.
  const logged = await readLoggedEntry(ctx.db, row.log_index);
  if (logged === undefined)
    throw new TabellaError('INTERNAL', 'the log has no entry at the index of this event');
  const entry = logged.toString('utf8');
  const version = (JSON.parse(entry) as { readonly v?: unknown }).v;
  const format: ReceiptFormat = version === 1 ? 'tabella-receipt/v1' : 'tabella-receipt/v2';
  const checkpoint = await readCheckpointNote(ctx.db, size);
  await ctx.db
    .transaction()
    .execute((trx) =>
      recordAudit(trx, ctx, { action: 'audit.receipt', subjectType: 'audit_event', subjectId: row.id }),
    );
  return {
    format,
    event: toAuditEventView(row),
    salt: row.salt,
    entry,
    leafIndex: row.log_index,
    treeSize: size,
    checkpoint,
    inclusionProof: proof.map((h) => Buffer.from(h).toString('base64')),
  };
}
