/**
 * Opening and signing notes (C2SP signed-note "Signatures"): signatures by unknown keys are kept
 * aside, unverified; a signature by a known key (same name and key ID) must verify or the whole
 * note is refused; a note with no verified signature is refused.
 */
import { TlogVerifyError } from './errors.ts';
import { checkNoteText, formatNote, type Note, type NoteSignature, parseNote } from './note.ts';
import { formatKeyId, type NoteSigner, type NoteVerifier } from './note-keys.ts';

/** A note whose text is vouched for by at least one trusted key. */
export interface OpenedNote {
  readonly text: string;
  /** Signatures by trusted keys, each verified. */
  readonly verified: readonly NoteSignature[];
  /** Signatures by keys the caller did not list — ignored, as the spec requires. */
  readonly unverified: readonly NoteSignature[];
}

const keyOf = (name: string, keyId: number) => `${name}+${formatKeyId(keyId)}`;
const sameSignature = (a: NoteSignature, b: NoteSignature) =>
  a.name === b.name && a.keyId === b.keyId && Buffer.compare(a.signature, b.signature) === 0;

/**
 * Parses and verifies a signed note (attacker-controlled bytes) against trusted keys. Throws
 * `MALFORMED` for a note that does not follow the format or an ambiguous key list, and
 * `BAD_SIGNATURE` when a trusted key's signature fails or no trusted key signed.
 *
 * @example
 * const note = openNote(body, [noteVerifierFromKey(vkey)]);
 */
export function openNote(input: string | Uint8Array, verifiers: readonly NoteVerifier[]): OpenedNote {
  const note = parseNote(input);
  const known = new Map<string, NoteVerifier[]>();
  for (const v of verifiers) {
    const key = keyOf(v.name, v.keyId);
    const list = known.get(key) ?? [];
    if (!list.includes(v)) list.push(v);
    known.set(key, list);
  }
  const message = Buffer.from(note.text, 'utf8');
  const verified: NoteSignature[] = [];
  const unverified: NoteSignature[] = [];
  for (const sig of note.signatures) {
    const candidates = known.get(keyOf(sig.name, sig.keyId));
    if (candidates === undefined) {
      if (!unverified.some((u) => sameSignature(u, sig))) unverified.push(sig);
      continue;
    }
    const key = keyOf(sig.name, sig.keyId);
    if (candidates.length > 1)
      throw new TlogVerifyError('MALFORMED', 'ambiguous key in the trusted list', { resource: key });
    if (verified.some((v) => sameSignature(v, sig))) continue;
    if (!(candidates[0] as NoteVerifier).verify(message, sig.signature))
      throw new TlogVerifyError('BAD_SIGNATURE', 'signature by a trusted key does not verify', {
        resource: key,
      });
    verified.push(sig);
  }
  if (verified.length === 0)
    throw new TlogVerifyError('BAD_SIGNATURE', 'note has no signature by a trusted key');
  return { text: note.text, verified, unverified };
}

/**
 * Signs a note text with each signer, keeping the existing signatures of other keys and replacing
 * those of the same keys. Returns the encoded note.
 *
 * @example
 * signNote('If you think cryptography is the answer to your problem,\n…\n', [signer]);
 */
export function signNote(note: string | Note, signers: readonly NoteSigner[]): string {
  const { text, signatures } = typeof note === 'string' ? { text: note, signatures: [] } : note;
  checkNoteText(text);
  const message = Buffer.from(text, 'utf8');
  const mine = new Set(signers.map((s) => keyOf(s.name, s.keyId)));
  const kept = signatures.filter((s) => !mine.has(keyOf(s.name, s.keyId)));
  const added = signers.map((s) => ({ name: s.name, keyId: s.keyId, signature: s.sign(message) }));
  return formatNote({ text, signatures: [...kept, ...added] });
}
