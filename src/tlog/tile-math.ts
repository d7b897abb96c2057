/**
 * Which tiles a tree of a given size has, and which tile holds a given node (C2SP tlog-tiles
 * "Merkle Tree"): tile `n` at level `l` holds MTH(D[(256n + i)·256^l : (256n + i + 1)·256^l]) for
 * i = 0…255; the rightmost tile of each level is partial with ⌊size / 256^l⌋ mod 256 hashes, and
 * empty tiles do not exist.
 */
import { malformed } from './errors.ts';
import { HASH_SIZE, hashChildren } from './hash.ts';
import { TILE_HEIGHT, TILE_WIDTH, type TileId } from './tile-path.ts';
import type { TreeNode } from './tree-node.ts';

/** Number of hashes at tree level 8·`level`: complete subtrees of 256^level leaves. */
function hashesAtTileLevel(level: number, size: number): number {
  return Math.floor(size / TILE_WIDTH ** level);
}

/** The width of tile `index` at `level` in a tree of `size` leaves; 0 when the tree has no such tile. */
export function tileWidth(level: number, index: number, size: number): number {
  const count = hashesAtTileLevel(level, size);
  return Math.max(0, Math.min(TILE_WIDTH, count - index * TILE_WIDTH));
}

/**
 * Every tile of the tree of `size` leaves, level 0 first, left to right — the full tiles and, at
 * each level, the partial tile if there is one. For a tree of 70,000: 273 full and one 112-wide tile
 * at level 0, one full and one 17-wide tile at level 1, one 1-wide tile at level 2.
 */
export function* tilesOfTree(size: number): Generator<TileId> {
  for (let level = 0; hashesAtTileLevel(level, size) > 0; level++) {
    const count = hashesAtTileLevel(level, size);
    for (let index = 0; index * TILE_WIDTH < count; index++)
      yield { level, index, width: Math.min(TILE_WIDTH, count - index * TILE_WIDTH) };
  }
}

/** The partial tiles of the tree of `size` leaves — the ones a log writes with each checkpoint. */
export function partialTilesOfTree(size: number): TileId[] {
  const tiles: TileId[] = [];
  for (let level = 0; hashesAtTileLevel(level, size) > 0; level++) {
    const count = hashesAtTileLevel(level, size);
    const width = count % TILE_WIDTH;
    if (width > 0) tiles.push({ level, index: Math.floor(count / TILE_WIDTH), width });
  }
  return tiles;
}

/** Where a node's hash lives: `count` consecutive hashes of `tile`, from hash `offset`. */
export interface NodeLocation {
  readonly tile: TileId;
  readonly offset: number;
  /** 1 when the node is stored in the tile; a power of two up to 128 when it must be hashed from them. */
  readonly count: number;
}

/** The tile of the tree of `size` leaves whose hashes give `node`. Throws if the node is not complete. */
export function locateNode(node: TreeNode, size: number): NodeLocation {
  const { level, index } = node;
  if (!Number.isInteger(level) || level < 0 || !Number.isSafeInteger(index) || index < 0)
    throw malformed('node out of range');
  if ((index + 1) * 2 ** level > size) throw malformed('node is not complete in this tree');
  const tileLevel = Math.floor(level / TILE_HEIGHT);
  const count = 2 ** (level - tileLevel * TILE_HEIGHT);
  const first = index * count;
  const tileIndex = Math.floor(first / TILE_WIDTH);
  const width = tileWidth(tileLevel, tileIndex, size);
  return {
    tile: { level: tileLevel, index: tileIndex, width },
    offset: first - tileIndex * TILE_WIDTH,
    count,
  };
}

/**
 * MTH of `count` consecutive hashes of `row` from hash `offset`, with `count` a power of two: the
 * hash of the perfect subtree they are the bottom of.
 */
export function subtreeHash(row: Uint8Array, offset: number, count: number): Uint8Array {
  const at = (i: number) => row.subarray((offset + i) * HASH_SIZE, (offset + i + 1) * HASH_SIZE);
  if (count === 1) return at(0);
  let level: Uint8Array[] = [];
  for (let i = 0; i < count; i += 2) level.push(hashChildren(at(i), at(i + 1)));
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2)
      next.push(hashChildren(level[i] as Uint8Array, level[i + 1] as Uint8Array));
    level = next;
  }
  return level[0] as Uint8Array;
}

/** The hash a full tile contributes to the level above: MTH of its 256 hashes. */
export function tileRoot(tile: Uint8Array): Uint8Array {
  if (tile.byteLength !== TILE_WIDTH * HASH_SIZE) throw malformed('not a full tile');
  return subtreeHash(tile, 0, TILE_WIDTH);
}
