/**
 * Strict standard base64 (RFC 4648 §4), as signed-note and tlog-checkpoint require. Node's own
 * decoder silently skips invalid characters and accepts missing padding; signatures, keys and root
 * hashes are attacker-controlled, so only the one canonical encoding of a byte string is accepted.
 */
import { malformed } from './errors.ts';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Decodes canonical padded base64, or throws `MALFORMED`. */
export function decodeBase64(text: string, what: string): Buffer {
  if (!BASE64.test(text)) throw malformed(`${what} is not valid base64`);
  const bytes = Buffer.from(text, 'base64');
  // Rejects non-zero trailing bits, which would give a second encoding of the same bytes.
  if (bytes.toString('base64') !== text) throw malformed(`${what} is not canonical base64`);
  return bytes;
}

export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
