/**
 * C2SP tlog-tiles resource paths: `tile/<L>/<N>[.p/<W>]` for hash tiles and
 * `tile/entries/<N>[.p/<W>]` for entry bundles. `<N>` is written in zero-padded three-digit groups,
 * all but the last prefixed with `x` (1234067 → `x001/x234/067`), so a file system can hold the
 * tiles without file/directory conflicts.
 */
import { malformed } from './errors.ts';

/** Tree levels per tile: a tile is a subtree of height 8 (C2SP tlog-tiles). */
export const TILE_HEIGHT = 8;
/** Hashes in a full tile, and entries in a full entry bundle. */
export const TILE_WIDTH = 256;
/** Tile levels go from 0 to 63. */
export const MAX_TILE_LEVEL = 63;

/** A hash tile: `width` consecutive hashes at tree level 8·`level`, starting at hash 256·`index`. */
export interface TileId {
  readonly level: number;
  readonly index: number;
  /** 256 for a full tile, 1–255 for a partial one. */
  readonly width: number;
}

/** What a tlog-tiles path names. */
export type TileResource =
  | { readonly kind: 'tile'; readonly tile: TileId }
  | { readonly kind: 'entries'; readonly index: number; readonly width: number };

/** Encodes a tile index as `x001/x234/067`. */
export function formatTileIndex(index: number): string {
  if (!Number.isSafeInteger(index) || index < 0) throw malformed('tile index out of range');
  let n = index;
  let path = String(n % 1000).padStart(3, '0');
  n = Math.floor(n / 1000);
  while (n > 0) {
    path = `x${String(n % 1000).padStart(3, '0')}/${path}`;
    n = Math.floor(n / 1000);
  }
  return path;
}

function suffix(width: number): string {
  if (!Number.isInteger(width) || width < 1 || width > TILE_WIDTH) throw malformed('tile width out of range');
  return width === TILE_WIDTH ? '' : `.p/${width}`;
}

/**
 * The path of a hash tile, relative to the log prefix.
 *
 * @example
 * tilePath({ level: 0, index: 1234067, width: 8 }); // 'tile/0/x001/x234/067.p/8'
 */
export function tilePath(tile: TileId): string {
  if (!Number.isInteger(tile.level) || tile.level < 0 || tile.level > MAX_TILE_LEVEL)
    throw malformed('tile level out of range');
  return `tile/${tile.level}/${formatTileIndex(tile.index)}${suffix(tile.width)}`;
}

/** The path of an entry bundle, relative to the log prefix: `tile/entries/<N>[.p/<W>]`. */
export function entriesPath(index: number, width: number): string {
  return `tile/entries/${formatTileIndex(index)}${suffix(width)}`;
}

const PATH = /^tile\/(entries|0|[1-9][0-9]?)\/((?:x[0-9]{3}\/)*[0-9]{3})(?:\.p\/([1-9][0-9]{0,2}))?$/;

/**
 * Parses a tlog-tiles path (attacker-controlled: it comes from a URL). Only the canonical encoding
 * is accepted — no leading zero groups, no `.p/256` — so each resource has exactly one path.
 * Throws `MALFORMED` otherwise.
 */
export function parseTilePath(path: string): TileResource {
  const m = PATH.exec(path);
  if (m === null) throw malformed('not a tlog-tiles path');
  const [, levelText = '', indexText = '', widthText] = m;
  const groups = indexText.split('/');
  if (groups.length > 1 && groups[0] === 'x000') throw malformed('tile index has a leading zero group');
  // 2^53 has 16 digits: six groups keep every index exact.
  if (groups.length > 6) throw malformed('tile index out of range');
  const index = Number(groups.map((g) => g.replace('x', '')).join(''));
  if (!Number.isSafeInteger(index)) throw malformed('tile index out of range');
  const width = widthText === undefined ? TILE_WIDTH : Number(widthText);
  if (widthText !== undefined && width >= TILE_WIDTH) throw malformed('partial tile width out of range');
  if (levelText === 'entries') return { kind: 'entries', index, width };
  const level = Number(levelText);
  if (level > MAX_TILE_LEVEL) throw malformed('tile level out of range');
  return { kind: 'tile', tile: { level, index, width } };
}
