/**
 * Ed25519 note signers and verifiers (C2SP signed-note signature type 0x01), and the key strings
 * that carry them. `noteVerifierFromKey` also accepts cosigner keys (type 0x04), so one list of
 * trusted keys can hold a log's key and its witnesses'.
 */
import { cosignatureVerifier } from './cosignature.ts';
import { ed25519FromSeed, ed25519PublicKey, ed25519Sign, ed25519Verify, newEd25519Seed } from './ed25519.ts';
import { malformed } from './errors.ts';
import {
  computeKeyId,
  decodeSignerKey,
  decodeVerifierKey,
  formatSignerKey,
  formatVerifierKey,
  type NoteSigner,
  type NoteVerifier,
  SIGNATURE_TYPE,
} from './note-keys.ts';

/** An in-memory Ed25519 note signer that also knows its public half. */
export interface Ed25519NoteSigner extends NoteSigner {
  readonly publicKey: Uint8Array;
  /** `name+hexkeyid+base64(0x01 || public key)`, for publishing (e.g. at /log/vkey). */
  readonly verifierKey: string;
}

/** A note signer from a key name and a 32-byte Ed25519 seed. */
export function ed25519NoteSigner(name: string, seed: Uint8Array): Ed25519NoteSigner {
  const { privateKey, publicKey } = ed25519FromSeed(seed);
  return {
    name,
    keyId: computeKeyId(name, SIGNATURE_TYPE.ed25519, publicKey),
    publicKey,
    verifierKey: formatVerifierKey(name, SIGNATURE_TYPE.ed25519, publicKey),
    sign: (message) => ed25519Sign(privateKey, message),
  };
}

/** A note verifier from a key name and a 32-byte Ed25519 public key. */
export function ed25519NoteVerifier(name: string, publicKey: Uint8Array): NoteVerifier {
  const key = ed25519PublicKey(publicKey);
  if (key === undefined) throw malformed('not an Ed25519 public key', name);
  return {
    name,
    keyId: computeKeyId(name, SIGNATURE_TYPE.ed25519, publicKey),
    verify: (message, signature) => ed25519Verify(key, message, signature),
  };
}

/**
 * Parses a signer key `PRIVATE+KEY+name+hexkeyid+base64(0x01 || seed)` (Go's note.NewSigner
 * format). Throws `MALFORMED` on any other type, a wrong length or a key ID that does not match.
 *
 * @example
 * const signer = noteSignerFromKey(readFileSync(keyFile, 'utf8').trim());
 */
export function noteSignerFromKey(skey: string): Ed25519NoteSigner {
  const decoded = decodeSignerKey(skey);
  if (decoded.type !== SIGNATURE_TYPE.ed25519) throw malformed('unsupported signer key type');
  const signer = ed25519NoteSigner(decoded.name, decoded.key);
  if (signer.keyId !== decoded.keyId) throw malformed('signer key ID does not match');
  return signer;
}

/**
 * Parses a verifier key: `name+hexkeyid+base64(type || public key)` with type 0x01 (Ed25519 note
 * signature) or 0x04 (C2SP tlog-cosignature v1). Throws `MALFORMED` otherwise.
 */
export function noteVerifierFromKey(vkey: string): NoteVerifier {
  const { name, type, key } = decodeVerifierKey(vkey);
  switch (type) {
    case SIGNATURE_TYPE.ed25519:
      return ed25519NoteVerifier(name, key);
    case SIGNATURE_TYPE.cosignatureV1:
      return cosignatureVerifier(name, key);
    default:
      throw malformed('unsupported verifier key type', name);
  }
}

/** A fresh Ed25519 key pair as key strings: keep `signerKey` secret (mode 0600), publish `verifierKey`. */
export function generateNoteKey(name: string): { readonly signerKey: string; readonly verifierKey: string } {
  const seed = newEd25519Seed();
  const signer = ed25519NoteSigner(name, seed);
  return {
    signerKey: formatSignerKey(name, SIGNATURE_TYPE.ed25519, signer.keyId, seed),
    verifierKey: signer.verifierKey,
  };
}
