import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalJson } from '../../core/canonical-json.ts';
import {
  generateNoteKey,
  inclusionProof,
  isTlogVerifyError,
  MemoryTree,
  noteSignerFromKey,
  noteVerifierFromKey,
  signCheckpoint,
  treeRoot,
} from '../../tlog/index.ts';
import { type AuditEventView, toAuditEventView } from './audit-trail.ts';
import { type EventRow, entryBytes, newSalts } from './entry.ts';
import { canonicalEntryV1 } from './entry-v1.ts';
import { checkReceipt, isReceiptCheckError } from './receipt-check.ts';
import type { Receipt } from './receipts.ts';

const key = generateNoteKey('tabella.test/log');
const signer = noteSignerFromKey(key.signerKey);
const verifiers = [noteVerifierFromKey(key.verifierKey)];

function event(i: number): EventRow {
  return {
    id: `evt_${i}`,
    at: `2026-11-03T12:00:0${i}.000Z`,
    actor_type: 'member',
    actor_id: `mbr_${i}`,
    actor_org_id: 'org_a',
    actor_org_kind: 'government',
    actor_org_role: 'election-office',
    action: 'intel.read',
    subject_type: 'intel',
    subject_id: `ipv4-addr--${i}`,
    subject_org_id: 'org_b',
    details: canonicalJson({ tlp: 'red', version: null }),
  };
}

const view = (row: EventRow, logIndex: number): AuditEventView =>
  toAuditEventView({ ...row, log_index: logIndex });

/** A log of 3 version-1 entries then 4 version-2 entries, as an upgraded instance holds, and a receipt of each. */
function receipts(): Receipt[] {
  const rows = Array.from({ length: 7 }, (_, i) => event(i));
  const salts = newSalts(rows.length);
  const entries = rows.map((r, i) =>
    i < 3 ? canonicalEntryV1(r, salts[i] as string) : entryBytes(r, salts[i] as string).toString('utf8'),
  );
  const tree = new MemoryTree();
  for (const e of entries) tree.appendEntry(Buffer.from(e, 'utf8'));
  const checkpoint = signCheckpoint(
    { origin: 'tabella.test/log', size: tree.size, rootHash: treeRoot(tree, tree.size), extensions: [] },
    [signer],
  );
  return rows.map((r, i) => {
    const full = view(r, i);
    // Receipts issued before issue 9 carried neither the sector nor the subject's organization.
    const { actorOrgKind: _k, actorOrgRole: _r, subjectOrgId: _s, ...old } = full;
    return {
      format: i < 3 ? 'tabella-receipt/v1' : 'tabella-receipt/v2',
      event: i < 3 ? (old as AuditEventView) : full,
      salt: salts[i] as string,
      entry: entries[i] as string,
      leafIndex: i,
      treeSize: tree.size,
      checkpoint,
      inclusionProof: inclusionProof(tree, i, tree.size).map((h) => Buffer.from(h).toString('base64')),
    };
  });
}

function codeOf(receipt: unknown): string {
  try {
    checkReceipt(receipt, verifiers);
  } catch (err) {
    if (isReceiptCheckError(err) || isTlogVerifyError(err)) return err.code;
    throw err;
  }
  return 'OK';
}

type Edit = (r: Receipt) => unknown;
const onEvent =
  (change: Partial<Record<keyof AuditEventView, unknown>>): Edit =>
  (r) => ({ ...r, event: { ...r.event, ...change } });

/** One edit of each field of a receipt, and the code it fails with. */
const EDITS: readonly (readonly [string, Edit, string])[] = [
  ['event.id', onEvent({ id: 'evt_other' }), 'ENTRY_MISMATCH'],
  ['event.at', onEvent({ at: '2026-11-03T12:00:09.000Z' }), 'ENTRY_MISMATCH'],
  ['event.actorType', onEvent({ actorType: 'cli' }), 'ENTRY_MISMATCH'],
  ['event.actorId', onEvent({ actorId: 'mbr_other' }), 'ENTRY_MISMATCH'],
  ['event.actorOrgId', onEvent({ actorOrgId: 'org_other' }), 'ENTRY_MISMATCH'],
  ['event.action', onEvent({ action: 'intel.export' }), 'ENTRY_MISMATCH'],
  ['event.subjectType', onEvent({ subjectType: 'group' }), 'ENTRY_MISMATCH'],
  ['event.subjectId', onEvent({ subjectId: 'ipv4-addr--other' }), 'ENTRY_MISMATCH'],
  ['event.details', onEvent({ details: { tlp: 'amber', version: null } }), 'ENTRY_MISMATCH'],
  ['event.logIndex', onEvent({ logIndex: 0 }), 'INDEX_MISMATCH'],
  ['salt', (r) => ({ ...r, salt: newSalts(1)[0] }), 'ENTRY_MISMATCH'],
  ['entry', (r) => ({ ...r, entry: r.entry.replace('"at":"2026', '"at":"2025') }), 'ENTRY_MISMATCH'],
  ['leafIndex', (r) => ({ ...r, leafIndex: 0 }), 'INDEX_MISMATCH'],
  [
    'leafIndex and event.logIndex',
    (r) => ({ ...r, leafIndex: 0, event: { ...r.event, logIndex: 0 } }),
    'INVALID_PROOF',
  ],
  ['treeSize', (r) => ({ ...r, treeSize: r.treeSize - 1 }), 'TREE_SIZE_MISMATCH'],
  ['checkpoint', (r) => ({ ...r, checkpoint: r.checkpoint.replace('\n7\n', '\n8\n') }), 'BAD_SIGNATURE'],
  ['inclusionProof', (r) => ({ ...r, inclusionProof: [...r.inclusionProof].reverse() }), 'INVALID_PROOF'],
  ['inclusionProof (shorter)', (r) => ({ ...r, inclusionProof: r.inclusionProof.slice(1) }), 'INVALID_PROOF'],
  ['format (unknown)', (r) => ({ ...r, format: 'tabella-receipt/v9' }), 'RECEIPT_MALFORMED'],
  ['event (missing a field)', onEvent({ actorType: undefined }), 'RECEIPT_MALFORMED'],
  ['event.details (not an object)', onEvent({ details: 'x' }), 'RECEIPT_MALFORMED'],
];

describe('checkReceipt', () => {
  const all = receipts();
  const v1 = all[1] as Receipt;
  const v2 = all[4] as Receipt;

  it('accepts the receipt of every entry, version 1 and version 2', () => {
    for (const r of all) assert.equal(codeOf(JSON.parse(JSON.stringify(r))), 'OK', r.format);
    assert.equal(checkReceipt(v2, verifiers).format, 'tabella-receipt/v2');
    assert.equal(checkReceipt(v1, verifiers).eventId, 'evt_1');
  });

  for (const [field, edit, code] of EDITS)
    it(`refuses a receipt with an edited ${field}: ${code}`, () => {
      assert.equal(codeOf(edit(v2)), code, 'version 2');
      if (!field.startsWith('event.actorOrg') && !field.startsWith('event.subjectOrg'))
        assert.equal(codeOf(edit(v1)), code, 'version 1');
    });

  it('refuses an edited sector or subject organization of a version-2 receipt: ENTRY_MISMATCH', () => {
    for (const change of [{ actorOrgKind: 'private' }, { actorOrgRole: 'vendor' }, { subjectOrgId: 'org_c' }])
      assert.equal(codeOf(onEvent(change)(v2)), 'ENTRY_MISMATCH', JSON.stringify(change));
    assert.equal(
      codeOf({ ...v2, format: 'tabella-receipt/v1' }),
      'ENTRY_MISMATCH',
      'read as the other version',
    );
  });

  it('refuses an edited event presented with the entry it would make: INVALID_PROOF', () => {
    const forged = { ...v2.event, actorId: 'mbr_other' };
    const row: EventRow = { ...event(4), actor_id: 'mbr_other' };
    assert.equal(
      codeOf({ ...v2, event: forged, entry: entryBytes(row, v2.salt).toString('utf8') }),
      'INVALID_PROOF',
    );
  });

  it('refuses what is not a receipt: RECEIPT_MALFORMED', () => {
    for (const input of [
      undefined,
      null,
      [],
      'receipt',
      { ...v2, leafIndex: -1 },
      { ...v2, inclusionProof: [1] },
    ])
      assert.equal(codeOf(input), 'RECEIPT_MALFORMED');
  });
});
