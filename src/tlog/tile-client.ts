/**
 * Reading a C2SP tlog-tiles log through a fetch port, for verifiers and witnesses. Everything
 * fetched is attacker-controlled: lengths are checked here, content by the callers. A partial tile
 * or bundle that is gone may be replaced by the full one, as tlog-tiles allows ("MAY fetch the
 * full tile … as a fallback").
 */
import type { Checkpoint } from './checkpoint.ts';
import { parseEntryBundle } from './entry-bundle.ts';
import { malformed, TlogVerifyError } from './errors.ts';
import { HASH_SIZE } from './hash.ts';
import { consistencyProofAsync, inclusionProofAsync } from './proof-plan.ts';
import { verifyConsistency, verifyInclusion } from './proof-verify.ts';
import { entriesPath, TILE_WIDTH, type TileId, tilePath } from './tile-path.ts';
import { asyncTileHashReader } from './tile-reader.ts';

/**
 * The port to a log's resources, by path relative to its prefix (`checkpoint`, `tile/0/x001/234`,
 * `tile/entries/000.p/7`). Resolves `undefined` when the resource does not exist (HTTP 404);
 * rejects on transport errors.
 */
export type LogFetch = (path: string) => Promise<Uint8Array | undefined>;

async function fetchWithFallback(
  fetch: LogFetch,
  path: string,
  fullPath: string,
  width: number,
): Promise<{ readonly data: Uint8Array; readonly full: boolean }> {
  const data = await fetch(path);
  if (data !== undefined) return { data, full: width === TILE_WIDTH };
  if (width < TILE_WIDTH) {
    const full = await fetch(fullPath);
    if (full !== undefined) return { data: full, full: true };
  }
  throw new TlogVerifyError('MISSING_TILE', 'resource not available', { resource: path });
}

/** Fetches a hash tile: exactly `32·width` bytes, else `MALFORMED`; `MISSING_TILE` when absent. */
export async function fetchTile(fetch: LogFetch, tile: TileId): Promise<Uint8Array> {
  const path = tilePath(tile);
  const fullPath = tilePath({ ...tile, width: TILE_WIDTH });
  const { data, full } = await fetchWithFallback(fetch, path, fullPath, tile.width);
  const want = (full ? TILE_WIDTH : tile.width) * HASH_SIZE;
  if (data.byteLength !== want) throw malformed('tile has the wrong length', full ? fullPath : path);
  return data.subarray(0, tile.width * HASH_SIZE);
}

/** Fetches and splits entry bundle `index` holding `width` entries. */
export async function fetchEntryBundle(fetch: LogFetch, index: number, width: number): Promise<Uint8Array[]> {
  const path = entriesPath(index, width);
  const fullPath = entriesPath(index, TILE_WIDTH);
  const { data, full } = await fetchWithFallback(fetch, path, fullPath, width);
  try {
    return parseEntryBundle(data, full ? TILE_WIDTH : width).slice(0, width);
  } catch (cause) {
    throw new TlogVerifyError('MALFORMED', 'malformed entry bundle', {
      cause,
      resource: full ? fullPath : path,
    });
  }
}

/**
 * Checks that `newer` extends `older` by a consistency proof computed from the log's tiles — what a
 * witness does before cosigning. Reads O(log n) tiles. Both checkpoints must already be verified.
 * Throws `INCONSISTENT_HISTORY` (tiles that lie make the proof fail the same way), or
 * `MISSING_TILE`/`MALFORMED`.
 */
export async function checkConsistency(fetch: LogFetch, older: Checkpoint, newer: Checkpoint): Promise<void> {
  if (older.origin !== newer.origin) throw malformed('checkpoints are for different logs');
  if (older.size > newer.size)
    throw new TlogVerifyError('INCONSISTENT_HISTORY', 'the newer checkpoint is smaller than the older one');
  const reader = asyncTileHashReader(newer.size, (tile) => fetchTile(fetch, tile));
  const proof = await consistencyProofAsync(reader, older.size, newer.size);
  verifyConsistency(older.size, newer.size, proof, older.rootHash, newer.rootHash);
}

/**
 * Checks that the entry with leaf hash `leafHash` is at `index` in the verified checkpoint, by an
 * inclusion proof computed from the log's tiles. Throws `INVALID_PROOF`, `MISSING_TILE` or `MALFORMED`.
 */
export async function checkInclusion(
  fetch: LogFetch,
  checkpoint: Checkpoint,
  index: number,
  leafHash: Uint8Array,
): Promise<void> {
  const reader = asyncTileHashReader(checkpoint.size, (tile) => fetchTile(fetch, tile));
  const proof = await inclusionProofAsync(reader, index, checkpoint.size);
  verifyInclusion(leafHash, index, checkpoint.size, proof, checkpoint.rootHash);
}
