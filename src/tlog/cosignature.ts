/**
 * C2SP tlog-cosignature v1, the Ed25519 type: a witness's timestamped statement that a checkpoint
 * is the largest consistent tree head it has seen for that log.
 *
 * - key ID = SHA-256(name || "\n" || 0x04 || public key)[:4];
 * - signature bytes = key ID || uint64 big-endian timestamp || Ed25519 signature (4 + 8 + 64);
 * - signed message = "cosignature/v1\n" || "time <timestamp>\n" || the whole checkpoint note text.
 */
import { parseCheckpoint } from './checkpoint.ts';
import { ed25519FromSeed, ed25519PublicKey, ed25519Sign, ed25519Verify, newEd25519Seed } from './ed25519.ts';
import { malformed } from './errors.ts';
import { checkNoteText, type NoteSignature } from './note.ts';
import {
  computeKeyId,
  decodeSignerKey,
  formatSignerKey,
  formatVerifierKey,
  type NoteVerifier,
  SIGNATURE_TYPE,
} from './note-keys.ts';

const MAX_TIMESTAMP = 2n ** 63n - 1n;
const TIMESTAMP_SIZE = 8;

/** The message a v1 cosignature signs. `timestamp` is POSIX seconds. */
export function cosignatureMessage(checkpointText: string, timestamp: number): Buffer {
  checkNoteText(checkpointText);
  if (!Number.isSafeInteger(timestamp) || timestamp < 0)
    throw malformed('cosignature timestamp out of range');
  return Buffer.from(`cosignature/v1\ntime ${timestamp}\n${checkpointText}`, 'utf8');
}

/** A witness key that cosigns checkpoints. */
export interface Cosigner {
  readonly name: string;
  readonly keyId: number;
  readonly publicKey: Uint8Array;
  /** `name+hexkeyid+base64(0x04 || public key)`. */
  readonly verifierKey: string;
  /** Cosigns a checkpoint's note text at `timestamp` (POSIX seconds); returns the signature line's content. */
  cosign(checkpointText: string, timestamp: number): NoteSignature;
}

export function cosignerFromSeed(name: string, seed: Uint8Array): Cosigner {
  const { privateKey, publicKey } = ed25519FromSeed(seed);
  const keyId = computeKeyId(name, SIGNATURE_TYPE.cosignatureV1, publicKey);
  return {
    name,
    keyId,
    publicKey,
    verifierKey: formatVerifierKey(name, SIGNATURE_TYPE.cosignatureV1, publicKey),
    cosign(checkpointText, timestamp) {
      parseCheckpoint(checkpointText); // a witness cosigns checkpoints, nothing else
      const message = cosignatureMessage(checkpointText, timestamp);
      const signature = Buffer.allocUnsafe(TIMESTAMP_SIZE + 64);
      signature.writeBigUInt64BE(BigInt(timestamp), 0);
      signature.set(ed25519Sign(privateKey, message), TIMESTAMP_SIZE);
      return { name, keyId, signature };
    },
  };
}

/** Parses `PRIVATE+KEY+name+hexkeyid+base64(0x04 || seed)`. */
export function cosignerFromKey(skey: string): Cosigner {
  const decoded = decodeSignerKey(skey);
  if (decoded.type !== SIGNATURE_TYPE.cosignatureV1) throw malformed('not a cosigner key');
  const cosigner = cosignerFromSeed(decoded.name, decoded.key);
  if (cosigner.keyId !== decoded.keyId) throw malformed('signer key ID does not match');
  return cosigner;
}

/** A fresh witness key pair as key strings. */
export function generateCosignerKey(name: string): {
  readonly signerKey: string;
  readonly verifierKey: string;
} {
  const seed = newEd25519Seed();
  const cosigner = cosignerFromSeed(name, seed);
  return {
    signerKey: formatSignerKey(name, SIGNATURE_TYPE.cosignatureV1, cosigner.keyId, seed),
    verifierKey: cosigner.verifierKey,
  };
}

/**
 * The timestamp of a v1 cosignature (the signature bytes after the key ID), or `undefined` when the
 * bytes cannot be one. Only meaningful once the cosignature has been verified.
 */
export function cosignatureTimestamp(signature: Uint8Array): number | undefined {
  if (signature.byteLength !== TIMESTAMP_SIZE + 64) return undefined;
  const t = Buffer.from(signature.buffer, signature.byteOffset, TIMESTAMP_SIZE).readBigUInt64BE(0);
  return t > MAX_TIMESTAMP || t > BigInt(Number.MAX_SAFE_INTEGER) ? undefined : Number(t);
}

/**
 * A note verifier for a witness's v1 cosignatures: it rebuilds the cosigned message from the note
 * text and the timestamp in the signature. Use it with `openNote`/`openCheckpoint`.
 */
export function cosignatureVerifier(name: string, publicKey: Uint8Array): NoteVerifier {
  const key = ed25519PublicKey(publicKey);
  if (key === undefined) throw malformed('not an Ed25519 public key', name);
  return {
    name,
    keyId: computeKeyId(name, SIGNATURE_TYPE.cosignatureV1, publicKey),
    verify(message, signature) {
      const timestamp = cosignatureTimestamp(signature);
      if (timestamp === undefined) return false;
      const header = Buffer.from(`cosignature/v1\ntime ${timestamp}\n`, 'utf8');
      return ed25519Verify(key, Buffer.concat([header, message]), signature.subarray(TIMESTAMP_SIZE));
    },
  };
}
