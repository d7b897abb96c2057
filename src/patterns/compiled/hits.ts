/**
 * Handles stored in the matcher's indexes: a non-negative number is an exact indicator (a hit is
 * a match), a negative one `-(h + 1)` is a candidate that still needs full evaluation. A single
 * handle is stored unboxed, which keeps simple indicators small.
 */
export type Handles = number | number[];

export const encodeCandidate = (handle: number): number => -(handle + 1);

export function addHandle<K>(map: Map<K, Handles>, key: K, stored: number): void {
  const current = map.get(key);
  if (current === undefined) map.set(key, stored);
  else if (typeof current === 'number') map.set(key, [current, stored]);
  else current.push(stored);
}

/** Removes one stored handle under `key`; returns whether it was there. */
export function removeHandle<K>(map: Map<K, Handles>, key: K, stored: number): boolean {
  const current = map.get(key);
  if (current === undefined) return false;
  if (typeof current === 'number') {
    if (current !== stored) return false;
    map.delete(key);
    return true;
  }
  const at = current.indexOf(stored);
  if (at < 0) return false;
  current.splice(at, 1);
  if (current.length === 1) map.set(key, current[0]!);
  return true;
}

/** Collects the handles found for one observation batch (plain arrays: most batches find none). */
export class Hits {
  readonly matched: number[] = [];
  readonly candidates: number[] = [];

  take(handles: Handles): void {
    if (typeof handles === 'number') this.#one(handles);
    else for (const h of handles) this.#one(h);
  }

  #one(h: number): void {
    if (h >= 0) this.matched.push(h);
    else this.candidates.push(-h - 1);
  }
}
