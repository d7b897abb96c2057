/**
 * Ed25519 (RFC 8032) through node:crypto, on raw 32-byte seeds and public keys — the encodings
 * signed-note keys carry. node:crypto takes keys as DER, so the fixed PKCS #8 / SPKI headers for
 * Ed25519 (RFC 8410) are prepended.
 */
import { createPrivateKey, createPublicKey, type KeyObject, randomBytes, sign, verify } from 'node:crypto';
import { malformed } from './errors.ts';

const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export const ED25519_KEY_SIZE = 32;
export const ED25519_SIGNATURE_SIZE = 64;

/** An Ed25519 key pair derived from a 32-byte seed. */
export interface Ed25519KeyPair {
  readonly privateKey: KeyObject;
  readonly publicKey: Uint8Array;
}

export function ed25519FromSeed(seed: Uint8Array): Ed25519KeyPair {
  if (seed.byteLength !== ED25519_KEY_SIZE) throw malformed('Ed25519 seed is not 32 bytes');
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return { privateKey, publicKey: new Uint8Array(spki.subarray(SPKI_PREFIX.length)) };
}

export function newEd25519Seed(): Uint8Array {
  return new Uint8Array(randomBytes(ED25519_KEY_SIZE));
}

export function ed25519Sign(privateKey: KeyObject, message: Uint8Array): Uint8Array {
  return new Uint8Array(sign(null, message, privateKey));
}

/** Imports a raw public key for verification; `undefined` when it is not a usable Ed25519 key. */
export function ed25519PublicKey(publicKey: Uint8Array): KeyObject | undefined {
  if (publicKey.byteLength !== ED25519_KEY_SIZE) return undefined;
  try {
    return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });
  } catch {
    return undefined;
  }
}

export function ed25519Verify(publicKey: KeyObject, message: Uint8Array, signature: Uint8Array): boolean {
  if (signature.byteLength !== ED25519_SIGNATURE_SIZE) return false;
  try {
    return verify(null, message, publicKey, signature);
  } catch {
    return false;
  }
}
