/**
 * C2SP tlog-checkpoint: the note text `<origin>\n<tree size>\n<base64 root hash>\n[extension lines]`,
 * signed as a signed-note. Parsing is strict because checkpoints are attacker-controlled until
 * their signature is checked — and `openCheckpoint` checks the signature before reading the body.
 */
import { decodeBase64, encodeBase64 } from './base64.ts';
import { malformed, TlogVerifyError } from './errors.ts';
import { HASH_SIZE } from './hash.ts';
import { checkNoteText } from './note.ts';
import type { NoteSigner, NoteVerifier } from './note-keys.ts';
import { type OpenedNote, openNote, signNote } from './note-open.ts';
import { MAX_TREE_SIZE } from './tree-node.ts';

export interface Checkpoint {
  /** The log's identity, e.g. `tabella.example.org/log`. */
  readonly origin: string;
  readonly size: number;
  readonly rootHash: Uint8Array;
  /** Opaque, non-empty lines after the root hash; NOT RECOMMENDED by the spec. */
  readonly extensions: readonly string[];
}

// ASCII decimal with no leading zero; 16 digits bound the value before Number() sees it.
const SIZE = /^(?:0|[1-9][0-9]{0,15})$/;

/**
 * Parses a checkpoint body (the note text, with its final newline). Throws `MALFORMED`.
 *
 * @example
 * parseCheckpoint('example.com/log\n3\nrrE7YqXk4o3ofS2zl5jQbqp1iEbqZS2XytM4bHCJ9d0=\n').size; // 3
 */
export function parseCheckpoint(text: string): Checkpoint {
  checkNoteText(text);
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) throw malformed('checkpoint needs origin, size and root hash lines');
  const [origin = '', sizeText = '', rootText = '', ...extensions] = lines;
  if (origin.length === 0) throw malformed('checkpoint origin is empty');
  if (!SIZE.test(sizeText)) throw malformed('checkpoint tree size is not a decimal number');
  const size = Number(sizeText);
  if (size > MAX_TREE_SIZE) throw malformed('checkpoint tree size out of range');
  const rootHash = decodeBase64(rootText, 'checkpoint root hash');
  if (rootHash.byteLength !== HASH_SIZE) throw malformed('checkpoint root hash is not 32 bytes');
  if (extensions.some((e) => e.length === 0)) throw malformed('checkpoint extension line is empty');
  return { origin, size, rootHash, extensions };
}

/** Formats a checkpoint body (the note text to sign). */
export function formatCheckpoint(checkpoint: Checkpoint): string {
  const { origin, size, rootHash, extensions } = checkpoint;
  if (origin.length === 0 || origin.includes('\n')) throw malformed('invalid checkpoint origin');
  if (!Number.isSafeInteger(size) || size < 0) throw malformed('checkpoint tree size out of range');
  if (rootHash.byteLength !== HASH_SIZE) throw malformed('checkpoint root hash is not 32 bytes');
  if (extensions.some((e) => e.length === 0 || e.includes('\n'))) throw malformed('invalid extension line');
  const text = [origin, String(size), encodeBase64(rootHash), ...extensions].map((l) => `${l}\n`).join('');
  checkNoteText(text);
  return text;
}

/**
 * Signs a checkpoint with the log's key (and any other signers): the text served at
 * `<prefix>/checkpoint`.
 *
 * @example
 * const note = signCheckpoint({ origin, size: tree.size, rootHash: tree.root(), extensions: [] }, [logKey]);
 */
export function signCheckpoint(checkpoint: Checkpoint, signers: readonly NoteSigner[]): string {
  return signNote(formatCheckpoint(checkpoint), signers);
}

export interface OpenedCheckpoint {
  readonly checkpoint: Checkpoint;
  readonly note: OpenedNote;
}

/**
 * Verifies a signed checkpoint (attacker-controlled) against trusted keys, then parses it. With
 * `origin`, the checkpoint must be that log's. Throws `BAD_SIGNATURE` or `MALFORMED`.
 */
export function openCheckpoint(
  input: string | Uint8Array,
  verifiers: readonly NoteVerifier[],
  options: { readonly origin?: string } = {},
): OpenedCheckpoint {
  const note = openNote(input, verifiers);
  const checkpoint = parseCheckpoint(note.text);
  if (options.origin !== undefined && checkpoint.origin !== options.origin)
    throw new TlogVerifyError('MALFORMED', 'checkpoint is for another log', { resource: checkpoint.origin });
  return { checkpoint, note };
}
