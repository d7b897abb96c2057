/**
 * signed-note key IDs and key strings, as Go's golang.org/x/mod/sumdb/note writes them:
 *
 * - key ID = SHA-256(name || 0x0A || type || public key)[:4], big-endian (C2SP signed-note);
 * - verifier key `name+hexkeyid+base64(type || public key)`;
 * - signer key `PRIVATE+KEY+name+hexkeyid+base64(type || private key)`, the key ID still being that of
 *   the public key.
 *
 * Key strings come from configuration or from other parties: they are parsed strictly.
 */
import { hash } from 'node:crypto';
import { decodeBase64, encodeBase64 } from './base64.ts';
import { malformed } from './errors.ts';
import { isValidKeyName } from './note.ts';

/** Signature type bytes assigned by C2SP signed-note. */
export const SIGNATURE_TYPE = { ed25519: 0x01, cosignatureV1: 0x04 } as const;

const SIGNER_PREFIX = 'PRIVATE+KEY+';
const KEY_ID = /^[0-9a-f]{8}$/;

/** SHA-256(name || "\n" || type || key)[:4] as a uint32. */
export function computeKeyId(name: string, type: number, publicKey: Uint8Array): number {
  const input = Buffer.concat([Buffer.from(`${name}\n`, 'utf8'), Buffer.of(type), publicKey]);
  return hash('sha256', input, 'buffer').readUInt32BE(0);
}

export const formatKeyId = (keyId: number): string => keyId.toString(16).padStart(8, '0');

/** The parts of a key string. `key` is the public key (verifier) or the private key (signer). */
export interface DecodedKey {
  readonly name: string;
  readonly keyId: number;
  readonly type: number;
  readonly key: Uint8Array;
}

function decode(text: string, what: string): DecodedKey {
  // name+id+key: the first two '+' split it; the base64 key may itself contain '+'.
  const first = text.indexOf('+');
  const second = first < 0 ? -1 : text.indexOf('+', first + 1);
  if (second < 0) throw malformed(`${what} must have three parts`);
  const name = text.slice(0, first);
  const id = text.slice(first + 1, second);
  const material = text.slice(second + 1);
  if (!isValidKeyName(name)) throw malformed(`${what} has an invalid name`);
  if (!KEY_ID.test(id)) throw malformed(`${what} has an invalid key ID`);
  const bytes = decodeBase64(material, what);
  if (bytes.byteLength < 2) throw malformed(`${what} has no key`);
  return { name, keyId: Number.parseInt(id, 16), type: bytes[0] as number, key: bytes.subarray(1) };
}

/**
 * Decodes a verifier key and checks its key ID against its name and key.
 *
 * @example
 * decodeVerifierKey('PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW').keyId; // 0xc74f20a3
 */
export function decodeVerifierKey(vkey: string): DecodedKey {
  const key = decode(vkey, 'verifier key');
  if (computeKeyId(key.name, key.type, key.key) !== key.keyId)
    throw malformed('verifier key ID does not match');
  return key;
}

export function formatVerifierKey(name: string, type: number, publicKey: Uint8Array): string {
  if (!isValidKeyName(name)) throw malformed('invalid key name');
  const id = formatKeyId(computeKeyId(name, type, publicKey));
  return `${name}+${id}+${encodeBase64(Buffer.concat([Buffer.of(type), publicKey]))}`;
}

/** Decodes a signer key; the caller derives the public key and checks the key ID. */
export function decodeSignerKey(skey: string): DecodedKey {
  if (!skey.startsWith(SIGNER_PREFIX)) throw malformed('signer key must start with PRIVATE+KEY+');
  return decode(skey.slice(SIGNER_PREFIX.length), 'signer key');
}

export function formatSignerKey(name: string, type: number, keyId: number, privateKey: Uint8Array): string {
  if (!isValidKeyName(name)) throw malformed('invalid key name');
  const material = encodeBase64(Buffer.concat([Buffer.of(type), privateKey]));
  return `${SIGNER_PREFIX}${name}+${formatKeyId(keyId)}+${material}`;
}

/** A key that signs notes: Ed25519 in memory, or a port to an HSM or KMS. */
export interface NoteSigner {
  readonly name: string;
  readonly keyId: number;
  /** Signs the note text (UTF-8 bytes); returns the signature without the key ID. */
  sign(message: Uint8Array): Uint8Array;
}

/** A trusted key that checks signatures of notes. */
export interface NoteVerifier {
  readonly name: string;
  readonly keyId: number;
  /** Checks `signature` (without the key ID) over the note text; never throws. */
  verify(message: Uint8Array, signature: Uint8Array): boolean;
}
