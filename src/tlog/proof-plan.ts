/**
 * Proof generation over a hash-reading port (RFC 9162 §2.1.3.1 PATH and §2.1.4.1 PROOF/SUBPROOF).
 *
 * Generation is split in two so any store can serve it, synchronous (SQLite, memory) or not
 * (PostgreSQL, HTTP tiles): a *plan* lists the perfect-subtree hashes the proof needs — at most
 * about 2·log2(n) of them — and `assemble` turns the hashes read into the proof. Each proof element
 * is the Merkle Tree Hash of a leaf range; all but possibly one are perfect subtrees read as they
 * are, the remaining one (the right edge of a tree whose size is not a power of two) is folded from
 * the perfect subtrees that make it up.
 */
import { malformed } from './errors.ts';
import { HASH_SIZE } from './hash.ts';
import { foldRight, MAX_TREE_SIZE, rangeNodes, splitPoint, type TreeNode } from './tree-node.ts';

/**
 * The port a log store implements: the hashes of perfect subtrees of the tree, in the order asked.
 * Every node asked for is complete in the tree being proved. See `tileHashReader` for stores that
 * keep only tiles.
 */
export interface HashReader {
  readHashes(nodes: readonly TreeNode[]): readonly Uint8Array[];
}

/** The asynchronous form of {@link HashReader}, for stores behind a network connection. */
export interface AsyncHashReader {
  readHashes(nodes: readonly TreeNode[]): Promise<readonly Uint8Array[]>;
}

/** The hashes a proof needs and how to assemble them. */
export interface ProofPlan {
  readonly nodes: readonly TreeNode[];
  /** Builds the proof from the hashes of `nodes`, in the same order. */
  assemble(hashes: readonly Uint8Array[]): Uint8Array[];
}

function checkSize(size: number, what: string): void {
  if (!Number.isSafeInteger(size) || size < 0 || size > MAX_TREE_SIZE)
    throw malformed(`${what} out of range`);
}

/** A plan whose elements are the MTHs of the given leaf ranges, in proof order. */
function planRanges(ranges: readonly (readonly [number, number])[]): ProofPlan {
  const nodes: TreeNode[] = [];
  const counts: number[] = [];
  for (const [begin, end] of ranges) {
    const parts = rangeNodes(begin, end);
    nodes.push(...parts);
    counts.push(parts.length);
  }
  return {
    nodes,
    assemble(hashes) {
      if (hashes.length !== nodes.length) throw malformed('hash reader returned a wrong number of hashes');
      const proof: Uint8Array[] = [];
      let at = 0;
      for (const count of counts) {
        const part = hashes.slice(at, at + count);
        for (const h of part)
          if (h.byteLength !== HASH_SIZE) throw malformed('hash reader returned a bad hash');
        proof.push(foldRight(part));
        at += count;
      }
      return proof;
    },
  };
}

/**
 * Plans the inclusion proof of leaf `index` in the tree of `size` leaves: PATH(index, D[0:size]),
 * RFC 9162 §2.1.3.1, listed from the leaf upwards.
 */
export function planInclusion(index: number, size: number): ProofPlan {
  checkSize(size, 'tree size');
  if (!Number.isSafeInteger(index) || index < 0 || index >= size) throw malformed('leaf index out of range');
  const ranges: [number, number][] = [];
  let lo = 0;
  let hi = size;
  while (hi - lo > 1) {
    const k = splitPoint(hi - lo);
    if (index < lo + k) {
      ranges.push([lo + k, hi]);
      hi = lo + k;
    } else {
      ranges.push([lo, lo + k]);
      lo += k;
    }
  }
  return planRanges(ranges.reverse());
}

/**
 * Plans the consistency proof between the trees of `size1` and `size2` leaves: PROOF(size1,
 * D[0:size2]), RFC 9162 §2.1.4.1. Empty when size1 is 0 or equals size2.
 */
export function planConsistency(size1: number, size2: number): ProofPlan {
  checkSize(size2, 'tree size');
  checkSize(size1, 'old tree size');
  if (size1 > size2) throw malformed('old tree size exceeds new tree size');
  const ranges: [number, number][] = [];
  if (size1 > 0 && size1 < size2) {
    let m = size1;
    let lo = 0;
    let hi = size2;
    let whole = true; // SUBPROOF's b: [lo, hi) is a prefix the verifier already knows the root of
    for (;;) {
      if (m === hi - lo) {
        if (!whole) ranges.push([lo, hi]);
        break;
      }
      const k = splitPoint(hi - lo);
      if (m <= k) {
        ranges.push([lo + k, hi]);
        hi = lo + k;
      } else {
        ranges.push([lo, lo + k]);
        m -= k;
        lo += k;
        whole = false;
      }
    }
  }
  return planRanges(ranges.reverse());
}

/** Plans MTH(D[0:size]): the root hash of the tree of `size` leaves. */
export function planRoot(size: number): ProofPlan {
  checkSize(size, 'tree size');
  const plan = planRanges(size === 0 ? [] : [[0, size]]);
  return { nodes: plan.nodes, assemble: (hashes) => (size === 0 ? [foldRight([])] : plan.assemble(hashes)) };
}

/**
 * The inclusion proof of leaf `index` in the tree of `size` leaves, read through `reader`.
 *
 * @example
 * const proof = inclusionProof(store, 41, checkpoint.size);
 * verifyInclusion(leafHash, 41, checkpoint.size, proof, checkpoint.rootHash);
 */
export function inclusionProof(reader: HashReader, index: number, size: number): Uint8Array[] {
  const plan = planInclusion(index, size);
  return plan.assemble(reader.readHashes(plan.nodes));
}

/** The consistency proof from the tree of `size1` leaves to the tree of `size2` leaves. */
export function consistencyProof(reader: HashReader, size1: number, size2: number): Uint8Array[] {
  const plan = planConsistency(size1, size2);
  return plan.assemble(reader.readHashes(plan.nodes));
}

/** The root hash of the tree of `size` leaves. */
export function treeRoot(reader: HashReader, size: number): Uint8Array {
  const plan = planRoot(size);
  return plan.assemble(reader.readHashes(plan.nodes))[0] as Uint8Array;
}

export async function inclusionProofAsync(
  reader: AsyncHashReader,
  index: number,
  size: number,
): Promise<Uint8Array[]> {
  const plan = planInclusion(index, size);
  return plan.assemble(await reader.readHashes(plan.nodes));
}

export async function consistencyProofAsync(
  reader: AsyncHashReader,
  size1: number,
  size2: number,
): Promise<Uint8Array[]> {
  const plan = planConsistency(size1, size2);
  return plan.assemble(await reader.readHashes(plan.nodes));
}

export async function treeRootAsync(reader: AsyncHashReader, size: number): Promise<Uint8Array> {
  const plan = planRoot(size);
  return plan.assemble(await reader.readHashes(plan.nodes))[0] as Uint8Array;
}
