/**
 * The verifier core behind `tabella audit verify`: it checks any C2SP tlog-tiles log, not only
 * Tabella's. Given a signed checkpoint, the trusted keys and a fetch port, it
 *
 * 1. verifies the checkpoint signature (`BAD_SIGNATURE`, `MALFORMED`);
 * 2. rebuilds the whole tree bottom-up: every entry must hash to its level-0 tile hash, every hash
 *    of a level-L tile must be the root of the full tile beneath it (`TILE_INCONSISTENT`), and every
 *    tile the size requires must be there (`MISSING_TILE`);
 * 3. computes the root from the verified tiles and compares it with the checkpoint (`ROOT_MISMATCH`);
 * 4. with an earlier trusted checkpoint, computes the root of the tree at that size from the same
 *    verified tiles and compares it (`INCONSISTENT_HISTORY`): no rewritten history, no fork.
 */
import { type Checkpoint, openCheckpoint } from './checkpoint.ts';
import { TlogVerifyError } from './errors.ts';
import { HASH_SIZE, hashEqual, hashLeaf } from './hash.ts';
import type { NoteVerifier } from './note-keys.ts';
import type { OpenedNote } from './note-open.ts';
import { planRoot, treeRoot } from './proof-plan.ts';
import { fetchEntryBundle, fetchTile, type LogFetch } from './tile-client.ts';
import { locateNode, tileRoot } from './tile-math.ts';
import { entriesPath, TILE_WIDTH, type TileId, tilePath } from './tile-path.ts';
import { tileHashReader } from './tile-reader.ts';

export interface VerifyTiledLogOptions {
  /** The signed checkpoint, as served at `<prefix>/checkpoint` (attacker-controlled). */
  readonly checkpoint: string | Uint8Array;
  /** The log's key, and any witness keys whose cosignatures should be verified. */
  readonly verifiers: readonly NoteVerifier[];
  readonly fetch: LogFetch;
  /** When set, the checkpoint must carry this origin. */
  readonly origin?: string;
  /** An earlier checkpoint already trusted (e.g. from a state file): the new one must extend it. */
  readonly previous?: Checkpoint;
  /** Fetch and check entry bundles too (default true); false checks the tiles only. */
  readonly checkEntries?: boolean;
  /** Tiles fetched at once (default 8). */
  readonly concurrency?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface VerifiedLog {
  readonly checkpoint: Checkpoint;
  readonly note: OpenedNote;
  readonly tilesChecked: number;
  readonly entriesChecked: number;
}

const keyOf = (t: TileId) => `${t.level}/${t.index}/${t.width}`;
const at = (row: Uint8Array, i: number) => row.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE);

function inconsistent(resource: string, message: string): TlogVerifyError<'TILE_INCONSISTENT'> {
  return new TlogVerifyError('TILE_INCONSISTENT', message, { resource });
}

/**
 * Verifies a tiled log end to end; resolves with what was checked or rejects with a
 * `TlogVerifyError` whose code says why.
 *
 * @example
 * const result = await verifyTiledLog({ checkpoint, verifiers: [noteVerifierFromKey(vkey)], fetch, previous });
 * saveState(result.checkpoint);
 */
export async function verifyTiledLog(options: VerifyTiledLogOptions): Promise<VerifiedLog> {
  const { fetch, previous, checkEntries = true, concurrency = 8, onProgress } = options;
  const opened = openCheckpoint(
    options.checkpoint,
    options.verifiers,
    options.origin === undefined ? {} : { origin: options.origin },
  );
  const { checkpoint } = opened;
  const { size } = checkpoint;
  if (previous !== undefined) {
    if (previous.origin !== checkpoint.origin)
      throw new TlogVerifyError('MALFORMED', 'saved checkpoint is for another log', {
        resource: previous.origin,
      });
    if (previous.size > size)
      throw new TlogVerifyError('INCONSISTENT_HISTORY', 'the log is smaller than at the saved checkpoint');
  }

  // The tiles holding the perfect subtrees of both roots are kept as they stream past.
  const rootNodes = [
    ...planRoot(size).nodes,
    ...(previous === undefined ? [] : planRoot(previous.size).nodes),
  ];
  const wanted = new Set(rootNodes.map((n) => keyOf(locateNode(n, size).tile)));
  const kept = new Map<string, Uint8Array>();

  const levels: number[] = [];
  for (let level = 0; Math.floor(size / TILE_WIDTH ** level) > 0; level++)
    levels.push(Math.floor(size / TILE_WIDTH ** level));
  const total = levels.reduce((sum, count) => sum + Math.ceil(count / TILE_WIDTH), 0);
  let done = 0;
  let entriesChecked = 0;
  // Roots of the full tiles of the level below: what this level's tiles must hold.
  let expected: Buffer | undefined;

  for (const [level, count] of levels.entries()) {
    const tiles = Math.ceil(count / TILE_WIDTH);
    const next = Buffer.allocUnsafe(Math.floor(count / TILE_WIDTH) * HASH_SIZE);
    for (let first = 0; first < tiles; first += concurrency) {
      const batch: TileId[] = [];
      for (let index = first; index < Math.min(tiles, first + concurrency); index++)
        batch.push({ level, index, width: Math.min(TILE_WIDTH, count - index * TILE_WIDTH) });
      const fetched = await Promise.all(
        batch.map(async (tile) => {
          const [data, entries] = await Promise.all([
            fetchTile(fetch, tile),
            level === 0 && checkEntries ? fetchEntryBundle(fetch, tile.index, tile.width) : undefined,
          ]);
          return { tile, data, entries };
        }),
      );
      for (const { tile, data, entries } of fetched) {
        for (let i = 0; i < tile.width; i++) {
          const hash = at(data, i);
          if (entries !== undefined && !hashEqual(hashLeaf(entries[i] as Uint8Array), hash))
            throw inconsistent(
              entriesPath(tile.index, tile.width),
              'entry does not hash to its level-0 tile hash',
            );
          if (expected !== undefined && !hashEqual(at(expected, tile.index * TILE_WIDTH + i), hash))
            throw inconsistent(tilePath(tile), 'tile hash is not the root of the tile beneath it');
        }
        if (entries !== undefined) entriesChecked += entries.length;
        if (tile.width === TILE_WIDTH) next.set(tileRoot(data), tile.index * HASH_SIZE);
        if (wanted.has(keyOf(tile))) kept.set(keyOf(tile), data);
        done++;
        onProgress?.(done, total);
      }
    }
    expected = next;
  }

  const reader = tileHashReader(size, (tile) => kept.get(keyOf(tile)));
  if (!hashEqual(treeRoot(reader, size), checkpoint.rootHash))
    throw new TlogVerifyError('ROOT_MISMATCH', 'the tiles do not lead to the checkpoint root');
  if (previous !== undefined && !hashEqual(treeRoot(reader, previous.size), previous.rootHash))
    throw new TlogVerifyError(
      'INCONSISTENT_HISTORY',
      'the log no longer contains the saved checkpoint’s tree',
    );
  return { checkpoint, note: opened.note, tilesChecked: done, entriesChecked };
}
