/**
 * RFC 6962 §2.1 / RFC 9162 §2.1.1 Merkle tree hashing with SHA-256: leaves and interior nodes are
 * domain-separated by a one-byte prefix so a leaf can never be passed off as a node.
 */
import { hash as nodeHash, timingSafeEqual } from 'node:crypto';
import { malformed } from './errors.ts';

/** Size in bytes of every hash in the tree (SHA-256). */
export const HASH_SIZE = 32;

const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;

/** MTH({}) = SHA-256() — the root of the empty tree (RFC 9162 §2.1.1). */
export const EMPTY_ROOT: Buffer = nodeHash('sha256', new Uint8Array(0), 'buffer');

// One scratch buffer: hashing is synchronous, so it is never shared between two calls in flight.
const scratch = Buffer.alloc(1 + 2 * HASH_SIZE);

/**
 * The leaf hash of a log entry: SHA-256(0x00 || entry).
 *
 * @example
 * hashLeaf(new Uint8Array()).toString('hex'); // '6e340b9c…'
 */
export function hashLeaf(entry: Uint8Array): Buffer {
  const input = Buffer.allocUnsafe(1 + entry.byteLength);
  input[0] = LEAF_PREFIX;
  input.set(entry, 1);
  return nodeHash('sha256', input, 'buffer');
}

/** The hash of an interior node: SHA-256(0x01 || left || right). */
export function hashChildren(left: Uint8Array, right: Uint8Array): Buffer {
  if (left.byteLength !== HASH_SIZE || right.byteLength !== HASH_SIZE)
    throw malformed('hash is not 32 bytes');
  scratch[0] = NODE_PREFIX;
  scratch.set(left, 1);
  scratch.set(right, 1 + HASH_SIZE);
  return nodeHash('sha256', scratch, 'buffer');
}

/** Compares two hashes in constant time; false when either is not 32 bytes. */
export function hashEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === HASH_SIZE && b.byteLength === HASH_SIZE && timingSafeEqual(a, b);
}
