/**
 * Proof verification exactly as RFC 9162 §2.1.3.2 (inclusion) and §2.1.4.2 (consistency) give it.
 * Proofs, roots and sizes come from the log and are attacker-controlled: every hash is checked to be
 * 32 bytes and every size to be an exact integer before any arithmetic. Shifts are written as
 * division so sizes above 2^31 stay exact.
 */
import { TlogVerifyError } from './errors.ts';
import { HASH_SIZE, hashChildren, hashEqual } from './hash.ts';
import { MAX_TREE_SIZE } from './tree-node.ts';

const half = (x: number) => Math.floor(x / 2);
const odd = (x: number) => x % 2 === 1;

function invalid(message: string): TlogVerifyError<'INVALID_PROOF'> {
  return new TlogVerifyError('INVALID_PROOF', message);
}

function isPowerOfTwo(n: number): boolean {
  let p = 1;
  while (p < n) p *= 2;
  return p === n;
}

function isSize(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0 && n <= MAX_TREE_SIZE;
}

/**
 * The root that an inclusion proof leads to, or `INVALID_PROOF` when the proof cannot be one for
 * this index and size (RFC 9162 §2.1.3.2 steps 1–5, without the final comparison).
 */
export function rootFromInclusionProof(
  leafHash: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
): Uint8Array {
  if (!isSize(size) || !isSize(index) || index >= size) throw invalid('leaf index is not in the tree');
  if (leafHash.byteLength !== HASH_SIZE) throw invalid('leaf hash is not 32 bytes');
  let fn = index;
  let sn = size - 1;
  let r: Uint8Array = leafHash;
  for (const p of proof) {
    if (p.byteLength !== HASH_SIZE) throw invalid('proof hash is not 32 bytes');
    if (sn === 0) throw invalid('proof is too long');
    if (odd(fn) || fn === sn) {
      r = hashChildren(p, r);
      if (!odd(fn)) {
        while (!odd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = hashChildren(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) throw invalid('proof is too short');
  return r;
}

/**
 * Checks that `proof` proves the leaf `leafHash` at `index` in the tree of `size` leaves whose root
 * is `root`; throws `INVALID_PROOF` otherwise.
 *
 * @example
 * verifyInclusion(hashLeaf(entry), receipt.index, checkpoint.size, receipt.proof, checkpoint.rootHash);
 */
export function verifyInclusion(
  leafHash: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): void {
  const computed = rootFromInclusionProof(leafHash, index, size, proof);
  if (!hashEqual(computed, root)) throw invalid('proof does not lead to the root');
}

function inconsistent(message: string): TlogVerifyError<'INCONSISTENT_HISTORY'> {
  return new TlogVerifyError('INCONSISTENT_HISTORY', message);
}

/**
 * Checks that the tree of `size2` leaves with root `root2` extends the tree of `size1` leaves with
 * root `root1` (RFC 9162 §2.1.4.2); throws `INCONSISTENT_HISTORY` otherwise — a failed consistency
 * proof is what a rewritten history or a fork looks like to a verifier.
 */
export function verifyConsistency(
  size1: number,
  size2: number,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): void {
  if (!isSize(size1) || !isSize(size2)) throw inconsistent('tree size out of range');
  if (root1.byteLength !== HASH_SIZE || root2.byteLength !== HASH_SIZE)
    throw inconsistent('root is not 32 bytes');
  if (size1 > size2) throw inconsistent('the newer tree is smaller than the older one');
  if (size1 === size2) {
    if (proof.length !== 0) throw inconsistent('proof between equal sizes must be empty');
    if (!hashEqual(root1, root2)) throw inconsistent('same size, different roots');
    return;
  }
  if (size1 === 0) {
    // Every tree extends the empty tree.
    if (proof.length !== 0) throw inconsistent('proof from the empty tree must be empty');
    return;
  }
  // Step 1: an empty proof cannot prove anything between two different non-empty sizes.
  if (proof.length === 0) throw inconsistent('proof is empty');
  for (const p of proof) if (p.byteLength !== HASH_SIZE) throw inconsistent('proof hash is not 32 bytes');
  // Step 2: when size1 is a power of two, its root is a node of the newer tree and starts the path.
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : proof;
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (odd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0] as Uint8Array;
  let sr = path[0] as Uint8Array;
  for (let i = 1; i < path.length; i++) {
    const c = path[i] as Uint8Array;
    if (sn === 0) throw inconsistent('proof is too long');
    if (odd(fn) || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      if (!odd(fn)) {
        while (!odd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = hashChildren(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) throw inconsistent('proof is too short');
  if (!hashEqual(fr, root1)) throw inconsistent('proof does not lead to the older root');
  if (!hashEqual(sr, root2)) throw inconsistent('proof does not lead to the newer root');
}
