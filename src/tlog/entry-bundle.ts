/**
 * C2SP tlog-tiles entry bundles: a sequence of entries, each prefixed with its length as a
 * big-endian uint16. Bundle `n` holds the entries whose leaf hashes are the level-0 tile `n`.
 */
import { malformed } from './errors.ts';
import { TILE_WIDTH } from './tile-path.ts';

/** The largest entry a bundle can carry (uint16 length prefix). */
export const MAX_ENTRY_SIZE = 0xffff;

/**
 * Encodes up to 256 entries as an entry bundle.
 *
 * @example
 * formatEntryBundle([Buffer.from('a'), Buffer.from('bc')]); // <00 01 61 00 02 62 63>
 */
export function formatEntryBundle(entries: readonly Uint8Array[]): Buffer {
  if (entries.length > TILE_WIDTH) throw malformed('too many entries for one bundle');
  let size = 0;
  for (const e of entries) {
    if (e.byteLength > MAX_ENTRY_SIZE) throw malformed('entry exceeds 65535 bytes');
    size += 2 + e.byteLength;
  }
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const e of entries) {
    out.writeUInt16BE(e.byteLength, at);
    out.set(e, at + 2);
    at += 2 + e.byteLength;
  }
  return out;
}

/**
 * Splits an entry bundle (attacker-controlled bytes) into its entries, as views into `bundle`.
 * With `count`, the bundle must hold exactly that many entries. Throws `MALFORMED` on a truncated
 * entry, trailing bytes or a wrong count.
 */
export function parseEntryBundle(bundle: Uint8Array, count?: number): Uint8Array[] {
  const entries: Uint8Array[] = [];
  let at = 0;
  while (at < bundle.byteLength) {
    if (entries.length === TILE_WIDTH) throw malformed('bundle holds more than 256 entries');
    if (at + 2 > bundle.byteLength) throw malformed('truncated entry length');
    const length = ((bundle[at] as number) << 8) | (bundle[at + 1] as number);
    if (at + 2 + length > bundle.byteLength) throw malformed('truncated entry');
    entries.push(bundle.subarray(at + 2, at + 2 + length));
    at += 2 + length;
  }
  if (count !== undefined && entries.length !== count)
    throw malformed('bundle has the wrong number of entries');
  return entries;
}
