/**
 * C2SP signed-note text format: a text ending in a newline, a blank line, then one or more
 * signature lines `— <key name> base64(key ID || signature)`. This module only parses and formats;
 * `note-open.ts` decides which signatures to trust. Notes are attacker-controlled until verified.
 */
import { decodeBase64, encodeBase64 } from './base64.ts';
import { malformed, TlogVerifyError } from './errors.ts';

/** One signature line of a note. */
export interface NoteSignature {
  readonly name: string;
  /** The uint32 key ID (big-endian first four bytes of the decoded signature). */
  readonly keyId: number;
  /** The signature proper: the decoded bytes after the key ID. */
  readonly signature: Uint8Array;
}

export interface Note {
  /** The signed text, including its final newline. */
  readonly text: string;
  readonly signatures: readonly NoteSignature[];
}

/** More signatures than this make a note malformed (the spec requires accepting at least 16). */
export const MAX_NOTE_SIGNATURES = 100;
/** Notes longer than this are refused before any parsing work. */
export const MAX_NOTE_BYTES = 1 << 20;

const SIG_PREFIX = '\u2014 ';
// Unicode spaces (Go's unicode.IsSpace, plus U+FEFF which JavaScript counts as space) and '+'.
const BAD_NAME = /[\s\u0085+]/u;
// biome-ignore lint/suspicious/noControlCharactersInRegex: signed-note forbids them; this finds them.
const CONTROL = /[\u0000-\u0009\u000b-\u001f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Key names are non-empty and contain no Unicode space and no `+`. */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !BAD_NAME.test(name) && !CONTROL.test(name) && !LONE_SURROGATE.test(name);
}

/** Checks signed-note text rules: valid UTF-8, no control character but newline, final newline. */
export function checkNoteText(text: string): void {
  if (!text.endsWith('\n')) throw malformed('note text must end with a newline');
  if (CONTROL.test(text) || LONE_SURROGATE.test(text)) throw malformed('note text has a control character');
}

function decodeText(input: string | Uint8Array): string {
  if (typeof input === 'string') {
    if (input.length > MAX_NOTE_BYTES) throw malformed('note too large');
    return input;
  }
  if (input.byteLength > MAX_NOTE_BYTES) throw malformed('note too large');
  try {
    return utf8.decode(input);
  } catch (cause) {
    throw new TlogVerifyError('MALFORMED', 'note is not valid UTF-8', { cause });
  }
}

function parseSignatureLine(line: string): NoteSignature {
  if (!line.startsWith(SIG_PREFIX)) throw malformed('signature line must start with an em dash');
  const rest = line.slice(SIG_PREFIX.length);
  const space = rest.indexOf(' ');
  if (space < 0) throw malformed('signature line has no signature');
  const name = rest.slice(0, space);
  if (!isValidKeyName(name)) throw malformed('invalid key name in signature line');
  const bytes = decodeBase64(rest.slice(space + 1), 'signature');
  if (bytes.byteLength < 5) throw malformed('signature too short');
  return { name, keyId: bytes.readUInt32BE(0), signature: bytes.subarray(4) };
}

/**
 * Splits a signed note into its text and signature lines, without verifying anything.
 * Throws `MALFORMED` when the note does not follow the format.
 */
export function parseNote(input: string | Uint8Array): Note {
  const message = decodeText(input);
  checkNoteText(message);
  const split = message.lastIndexOf('\n\n');
  if (split < 0) throw malformed('note has no signature block');
  const text = message.slice(0, split + 1);
  const lines = message.slice(split + 2, -1).split('\n');
  if (lines.length > MAX_NOTE_SIGNATURES) throw malformed('note has too many signatures');
  return { text, signatures: lines.map(parseSignatureLine) };
}

/** Formats one signature line, with its final newline. */
export function formatSignatureLine(sig: NoteSignature): string {
  if (!isValidKeyName(sig.name)) throw malformed('invalid key name');
  if (!Number.isInteger(sig.keyId) || sig.keyId < 0 || sig.keyId > 0xffffffff)
    throw malformed('invalid key ID');
  const bytes = Buffer.allocUnsafe(4 + sig.signature.byteLength);
  bytes.writeUInt32BE(sig.keyId, 0);
  bytes.set(sig.signature, 4);
  return `${SIG_PREFIX}${sig.name} ${encodeBase64(bytes)}\n`;
}

/**
 * Formats a note: text, blank line, signature lines.
 *
 * @example
 * formatNote({ text: 'hello\n', signatures: [sig] }); // 'hello\n\n— name AAAA…\n'
 */
export function formatNote(note: Note): string {
  checkNoteText(note.text);
  if (note.signatures.length === 0) throw malformed('a note needs at least one signature');
  return `${note.text}\n${note.signatures.map(formatSignatureLine).join('')}`;
}
