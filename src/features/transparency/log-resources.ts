import { TabellaError } from '../../core/errors.ts';
import {
  formatEntryBundle,
  HASH_SIZE,
  isTlogVerifyError,
  parseEntryBundle,
  parseTilePath,
  TILE_WIDTH,
  type TileResource,
} from '../../tlog/index.ts';
import type { Executor } from '../context.ts';
import { getCheckpointAt, getLogState, readBundle, readTile } from './log-store.ts';

/**
 * The public C2SP tlog-tiles resources under /log/. Tiles and bundles are stored at their widest;
 * a narrower partial resource is a prefix of it (hashes and entries are only ever appended).
 */
export interface LogResource {
  readonly body: Buffer;
  /** Full tiles and bundles never change: clients may cache them forever. */
  readonly immutable: boolean;
}

function parse(path: string): TileResource {
  try {
    return parseTilePath(path);
  } catch (err) {
    if (isTlogVerifyError(err)) throw new TabellaError('NOT_FOUND', 'no such log resource');
    throw err;
  }
}

/**
 * Full tiles and bundles never change, so a bounded in-memory cache serves hot ones without the
 * database (verifiers and witnesses all fetch the same few). Keyed by canonical path.
 */
export class ImmutableCache {
  readonly #map = new Map<string, Buffer>();
  #bytes = 0;
  constructor(readonly maxBytes = 64 * 1024 * 1024) {}
  get(path: string): Buffer | undefined {
    const hit = this.#map.get(path);
    if (hit !== undefined) {
      this.#map.delete(path);
      this.#map.set(path, hit);
    }
    return hit;
  }
  set(path: string, body: Buffer): void {
    const previous = this.#map.get(path);
    if (previous !== undefined) this.#bytes -= previous.length;
    this.#map.set(path, body);
    this.#bytes += body.length;
    for (const [k, v] of this.#map) {
      if (this.#bytes <= this.maxBytes) break;
      this.#map.delete(k);
      this.#bytes -= v.length;
    }
  }
}

export async function readLogResource(
  db: Executor,
  path: string,
  cache?: ImmutableCache,
): Promise<LogResource> {
  const cached = cache?.get(path);
  if (cached !== undefined) return { body: cached, immutable: true };
  const found = await readUncached(db, path);
  if (found.immutable) cache?.set(path, found.body);
  return found;
}

async function readUncached(db: Executor, path: string): Promise<LogResource> {
  const resource = parse(path);
  if (resource.kind === 'tile') {
    const { level, index, width } = resource.tile;
    const stored = await readTile(db, level, index);
    if (stored === undefined || stored.width < width) throw new TabellaError('NOT_FOUND', 'no such tile');
    return { body: stored.data.subarray(0, width * HASH_SIZE), immutable: width === 256 };
  }
  const stored = await readBundle(db, resource.index);
  if (stored === undefined || stored.width < resource.width)
    throw new TabellaError('NOT_FOUND', 'no such entry bundle');
  const body =
    stored.width === resource.width
      ? stored.data
      : formatEntryBundle(parseEntryBundle(stored.data, stored.width).slice(0, resource.width));
  return { body, immutable: resource.width === 256 };
}

/** The entry at `index` exactly as the log holds it, or undefined when the log has none there. */
export async function readLoggedEntry(db: Executor, index: number): Promise<Buffer | undefined> {
  const stored = await readBundle(db, Math.floor(index / TILE_WIDTH));
  const at = index % TILE_WIDTH;
  if (stored === undefined || stored.width <= at) return undefined;
  const entry = parseEntryBundle(stored.data, stored.width)[at];
  return entry === undefined ? undefined : Buffer.from(entry);
}

/**
 * A checkpoint — the latest, or the one of `size` — with the cosignatures witnesses gave for
 * exactly that checkpoint appended as further signature lines (C2SP tlog-cosignature).
 */
export async function readCheckpointNote(db: Executor, size?: number): Promise<string> {
  let note: string;
  let at: number;
  if (size === undefined) {
    const state = await getLogState(db);
    if (state === undefined) throw new TabellaError('SERVICE_UNAVAILABLE', 'the log is starting');
    note = state.checkpoint;
    at = state.size;
  } else {
    const row = await getCheckpointAt(db, size);
    if (row === undefined) throw new TabellaError('NOT_FOUND', 'no checkpoint of that size');
    note = row.note;
    at = size;
  }
  const cosigs = await db
    .selectFrom('log_cosignatures')
    .select('signature')
    .where('size', '=', at)
    .orderBy('key_id')
    .execute();
  return note + cosigs.map((c) => c.signature).join('');
}
