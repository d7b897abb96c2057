/**
 * Addressing of perfect subtrees. Every hash a log stores — a leaf hash, an interior node, a tile
 * hash — is the Merkle Tree Hash (RFC 9162 §2.1.1) of an aligned, power-of-two range of leaves.
 * Indexes are JavaScript numbers: exact up to 2^53, far beyond any tree this layer will see; the
 * arithmetic avoids 32-bit bitwise operators for that reason.
 */
import { EMPTY_ROOT, hashChildren } from './hash.ts';

/** The perfect subtree covering leaves [index·2^level, (index+1)·2^level). Level 0 is a leaf hash. */
export interface TreeNode {
  readonly level: number;
  readonly index: number;
}

/** The largest tree size this layer accepts: indexes stay exact JavaScript integers. */
export const MAX_TREE_SIZE = Number.MAX_SAFE_INTEGER;

/** The largest power of two strictly less than n (n ≥ 2): the split point of MTH (RFC 9162 §2.1.1). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * The perfect subtrees whose hashes, folded from the right, give MTH(D[begin:end]) — for the ranges
 * that occur in RFC 6962 trees, where `begin` is a multiple of the largest power of two ≤ end−begin.
 * Listed left to right, largest first.
 */
export function rangeNodes(begin: number, end: number): TreeNode[] {
  const nodes: TreeNode[] = [];
  let at = begin;
  while (at < end) {
    let level = 0;
    let width = 1;
    while (at % (width * 2) === 0 && at + width * 2 <= end) {
      width *= 2;
      level++;
    }
    nodes.push({ level, index: at / width });
    at += width;
  }
  return nodes;
}

/** Folds subtree hashes listed left to right into their root: H(h0, H(h1, … H(hn−2, hn−1))). */
export function foldRight(hashes: readonly Uint8Array[]): Uint8Array {
  let root = hashes[hashes.length - 1];
  if (root === undefined) return EMPTY_ROOT;
  for (let i = hashes.length - 2; i >= 0; i--) root = hashChildren(hashes[i] as Uint8Array, root);
  return root;
}
