/**
 * A whole Merkle tree in memory: every node of every level, one growable buffer per level (about
 * 64 bytes per leaf). It serves any proof with no hashing beyond the right edge, which makes it the
 * reference {@link HashReader} for tests, benchmarks and small in-process logs (a witness's view).
 */
import { malformed } from './errors.ts';
import { HASH_SIZE, hashChildren, hashLeaf } from './hash.ts';
import type { HashReader } from './proof-plan.ts';
import { MAX_TREE_SIZE, type TreeNode } from './tree-node.ts';

/**
 * @example
 * const tree = new MemoryTree();
 * tree.appendEntry(Buffer.from('hello'));
 * inclusionProof(tree, 0, tree.size);
 */
export class MemoryTree implements HashReader {
  #size = 0;
  readonly #levels: Buffer[] = [];

  constructor(initialCapacity = 1024) {
    this.#levels.push(Buffer.allocUnsafe(Math.max(1, initialCapacity) * HASH_SIZE));
  }

  get size(): number {
    return this.#size;
  }

  appendEntry(entry: Uint8Array): Buffer {
    const leaf = hashLeaf(entry);
    this.appendLeafHash(leaf);
    return leaf;
  }

  appendLeafHash(leafHash: Uint8Array): void {
    if (leafHash.byteLength !== HASH_SIZE) throw malformed('leaf hash is not 32 bytes');
    if (this.#size >= MAX_TREE_SIZE) throw malformed('tree is full');
    let index = this.#size;
    this.#write(0, index, leafHash);
    for (let level = 0; index % 2 === 1; level++) {
      const left = this.#read(level, index - 1);
      const right = this.#read(level, index);
      index = (index - 1) / 2;
      this.#write(level + 1, index, hashChildren(left, right));
    }
    this.#size++;
  }

  #read(level: number, index: number): Buffer {
    const buf = this.#levels[level] as Buffer;
    return buf.subarray(index * HASH_SIZE, (index + 1) * HASH_SIZE);
  }

  #write(level: number, index: number, hash: Uint8Array): void {
    let buf = this.#levels[level];
    if (buf === undefined) {
      buf = Buffer.allocUnsafe(Math.max(1, (this.#levels[level - 1] as Buffer).byteLength / 2));
      this.#levels[level] = buf;
    }
    if ((index + 1) * HASH_SIZE > buf.byteLength) {
      const grown = Buffer.allocUnsafe(Math.max(buf.byteLength * 2, (index + 1) * HASH_SIZE));
      buf.copy(grown);
      buf = grown;
      this.#levels[level] = buf;
    }
    buf.set(hash, index * HASH_SIZE);
  }

  /** The hashes of complete nodes, as views into the tree's buffers. */
  readHashes(nodes: readonly TreeNode[]): Uint8Array[] {
    return nodes.map(({ level, index }) => {
      if (!Number.isInteger(level) || level < 0 || !Number.isSafeInteger(index) || index < 0)
        throw malformed('node out of range');
      if ((index + 1) * 2 ** level > this.#size) throw malformed('node is not complete in this tree');
      return this.#read(level, index);
    });
  }
}
