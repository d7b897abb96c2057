/**
 * The in-memory tree a log sequencer appends to. It keeps a compact range — one hash per set bit
 * of the tree size, so the root is always O(log n) hashes away — and, per tile level, the hashes of
 * the tile being filled. Appending a leaf costs one leaf hash plus one node hash on average; each
 * time 256 hashes fill a tile, that tile is handed out as bytes ready to store and serve (C2SP
 * tlog-tiles), and its root — already computed by the compact range — starts the level above.
 */
import { malformed } from './errors.ts';
import { EMPTY_ROOT, HASH_SIZE, hashChildren, hashLeaf } from './hash.ts';
import { partialTilesOfTree, subtreeHash } from './tile-math.ts';
import { TILE_HEIGHT, TILE_WIDTH, type TileId, tilePath } from './tile-path.ts';
import { MAX_TREE_SIZE, rangeNodes } from './tree-node.ts';

/** A tile with its content: `tile.width` hashes, 32 bytes each, exactly as served. */
export interface TileData {
  readonly tile: TileId;
  readonly hashes: Uint8Array;
}

const TILE_BYTES = TILE_WIDTH * HASH_SIZE;

/**
 * Builds an RFC 6962 tree and its tiles as leaves arrive.
 *
 * @example
 * const tree = new TreeBuilder();
 * for (const entry of batch) tree.appendEntry(entry);
 * store.writeTiles([...tree.takeFullTiles(), ...tree.partialTiles()]);
 * const checkpoint = { origin, size: tree.size, rootHash: tree.root() };
 */
export class TreeBuilder {
  #size = 0;
  /** Perfect subtree hashes covering [0, size), largest (leftmost) first. */
  readonly #stack: Uint8Array[] = [];
  /** Per tile level: the hashes of the tile being filled, and how many it holds. */
  readonly #rows: Buffer[] = [];
  readonly #counts: number[] = [];
  /** Per tile level: how many full tiles exist. */
  readonly #fullTiles: number[] = [];
  #completed: TileData[] = [];

  /**
   * Resumes a tree of `size` leaves from its partial tiles (those `partialTilesOfTree(size)` lists),
   * as a log store holds them after the last durable commit. Throws `MALFORMED` when a tile is
   * missing or has the wrong length. Compare `root()` with the last checkpoint afterwards.
   */
  static resume(size: number, partialTiles: readonly TileData[]): TreeBuilder {
    if (!Number.isSafeInteger(size) || size < 0) throw malformed('tree size out of range');
    const tree = new TreeBuilder();
    const byLevel = new Map(partialTiles.map((t) => [t.tile.level, t]));
    for (let level = 0; TILE_WIDTH ** level <= size; level++) {
      const count = Math.floor(size / TILE_WIDTH ** level);
      tree.#fullTiles[level] = Math.floor(count / TILE_WIDTH);
      tree.#rows[level] = Buffer.alloc(TILE_BYTES);
      tree.#counts[level] = 0;
    }
    for (const want of partialTilesOfTree(size)) {
      const got = byLevel.get(want.level);
      if (got === undefined || got.tile.index !== want.index || got.tile.width !== want.width)
        throw malformed('partial tile missing', tilePath(want));
      if (got.hashes.byteLength !== want.width * HASH_SIZE)
        throw malformed('tile has the wrong length', tilePath(want));
      (tree.#rows[want.level] as Buffer).set(got.hashes);
      tree.#counts[want.level] = want.width;
    }
    for (const node of rangeNodes(0, size)) {
      const level = Math.floor(node.level / TILE_HEIGHT);
      const count = 2 ** (node.level - level * TILE_HEIGHT);
      const offset = node.index * count - (tree.#fullTiles[level] as number) * TILE_WIDTH;
      tree.#stack.push(Buffer.from(subtreeHash(tree.#rows[level] as Buffer, offset, count)));
    }
    tree.#size = size;
    return tree;
  }

  /** Number of leaves appended so far. */
  get size(): number {
    return this.#size;
  }

  /** Appends a log entry; returns its leaf hash SHA-256(0x00 || entry). */
  appendEntry(entry: Uint8Array): Buffer {
    const leaf = hashLeaf(entry);
    this.appendLeafHash(leaf);
    return leaf;
  }

  /** Appends a leaf by its hash. */
  appendLeafHash(leafHash: Uint8Array): void {
    if (leafHash.byteLength !== HASH_SIZE) throw malformed('leaf hash is not 32 bytes');
    if (this.#size >= MAX_TREE_SIZE) throw malformed('tree is full');
    this.#pushTileHash(0, leafHash);
    // Merge equal-sized subtrees: one merge per trailing 1 bit of the old size.
    let h: Uint8Array = Buffer.from(leafHash); // a copy: the caller may reuse its buffer
    let level = 0;
    for (let n = this.#size; n % 2 === 1; n = (n - 1) / 2) {
      h = hashChildren(this.#stack.pop() as Uint8Array, h);
      level++;
      if (level % TILE_HEIGHT === 0) this.#pushTileHash(level / TILE_HEIGHT, h);
    }
    this.#stack.push(h);
    this.#size++;
  }

  #pushTileHash(level: number, hash: Uint8Array): void {
    let row = this.#rows[level];
    if (row === undefined) {
      row = Buffer.alloc(TILE_BYTES);
      this.#rows[level] = row;
      this.#counts[level] = 0;
      this.#fullTiles[level] = 0;
    }
    const count = this.#counts[level] as number;
    row.set(hash, count * HASH_SIZE);
    if (count + 1 < TILE_WIDTH) {
      this.#counts[level] = count + 1;
      return;
    }
    const index = this.#fullTiles[level] as number;
    this.#completed.push({ tile: { level, index, width: TILE_WIDTH }, hashes: Buffer.from(row) });
    this.#fullTiles[level] = index + 1;
    this.#counts[level] = 0;
  }

  /** The root hash of the tree as it is now (RFC 9162 §2.1.1). */
  root(): Uint8Array {
    const stack = this.#stack;
    let root = stack[stack.length - 1];
    if (root === undefined) return EMPTY_ROOT;
    for (let i = stack.length - 2; i >= 0; i--) root = hashChildren(stack[i] as Uint8Array, root);
    return root;
  }

  /** The full tiles completed since the last call, in the order they filled. Immutable once written. */
  takeFullTiles(): TileData[] {
    const tiles = this.#completed;
    this.#completed = [];
    return tiles;
  }

  /** The partial tiles of the tree at its current size, lowest level first (copies). */
  partialTiles(): TileData[] {
    const tiles: TileData[] = [];
    for (let level = 0; level < this.#rows.length; level++) {
      const width = this.#counts[level] as number;
      if (width === 0) continue;
      const hashes = Buffer.from((this.#rows[level] as Buffer).subarray(0, width * HASH_SIZE));
      tiles.push({ tile: { level, index: this.#fullTiles[level] as number, width }, hashes });
    }
    return tiles;
  }
}
