/**
 * A {@link HashReader} for stores that keep only tiles (C2SP tlog-tiles). Hashes at tree levels
 * 0, 8, 16, … are read straight from a tile; a node between those levels is hashed from up to 128
 * hashes of one tile. A proof reads at most two tiles per tile level — O(log n) reads.
 */
import { malformed, TlogVerifyError } from './errors.ts';
import { HASH_SIZE } from './hash.ts';
import type { AsyncHashReader, HashReader } from './proof-plan.ts';
import { locateNode, type NodeLocation, subtreeHash } from './tile-math.ts';
import { type TileId, tilePath } from './tile-path.ts';
import type { TreeNode } from './tree-node.ts';

/** Reads the hashes of one tile: exactly 32·width bytes, or `undefined` when the store has none. */
export type TileReader = (tile: TileId) => Uint8Array | undefined;
export type AsyncTileReader = (tile: TileId) => Promise<Uint8Array | undefined>;

function checked(tile: TileId, data: Uint8Array | undefined): Uint8Array {
  if (data === undefined)
    throw new TlogVerifyError('MISSING_TILE', 'tile not available', { resource: tilePath(tile) });
  if (data.byteLength !== tile.width * HASH_SIZE)
    throw malformed('tile has the wrong length', tilePath(tile));
  return data;
}

const keyOf = (t: TileId) => `${t.level}/${t.index}/${t.width}`;

function hashesFrom(
  locations: readonly NodeLocation[],
  tiles: ReadonlyMap<string, Uint8Array>,
): Uint8Array[] {
  return locations.map((loc) => subtreeHash(tiles.get(keyOf(loc.tile)) as Uint8Array, loc.offset, loc.count));
}

/**
 * A hash reader over the tiles of the tree of `size` leaves. Use the size of the newest checkpoint
 * the proof is about: its tiles hold every node of every smaller tree as well.
 *
 * @example
 * const reader = tileHashReader(checkpoint.size, (t) => store.tile(t.level, t.index, t.width));
 * const proof = inclusionProof(reader, index, checkpoint.size);
 */
export function tileHashReader(size: number, readTile: TileReader): HashReader {
  return {
    readHashes(nodes: readonly TreeNode[]) {
      const locations = nodes.map((n) => locateNode(n, size));
      const tiles = new Map<string, Uint8Array>();
      for (const { tile } of locations) {
        const key = keyOf(tile);
        if (!tiles.has(key)) tiles.set(key, checked(tile, readTile(tile)));
      }
      return hashesFrom(locations, tiles);
    },
  };
}

/** The asynchronous form of {@link tileHashReader}: all tiles a call needs are fetched concurrently. */
export function asyncTileHashReader(size: number, readTile: AsyncTileReader): AsyncHashReader {
  return {
    async readHashes(nodes: readonly TreeNode[]) {
      const locations = nodes.map((n) => locateNode(n, size));
      const wanted = new Map<string, TileId>();
      for (const { tile } of locations) wanted.set(keyOf(tile), tile);
      const fetched = await Promise.all(
        [...wanted].map(async ([key, tile]) => [key, checked(tile, await readTile(tile))] as const),
      );
      return hashesFrom(locations, new Map(fetched));
    },
  };
}
