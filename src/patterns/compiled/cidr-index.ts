import { type IpBlock, maskV4, maskV6, parseIpBlock } from '../ip.ts';
import { addHandle, type Handles, type Hits, removeHandle } from './hits.ts';

/**
 * CIDR blocks indexed by prefix length, then by masked network address. Finding every block that
 * contains an address costs one hash look-up per distinct prefix length in use (at most 33 for
 * IPv4, 129 for IPv6), whatever the number of blocks.
 */
export class CidrIndex {
  readonly #v4 = new Map<number, Map<number | string, Handles>>();
  readonly #v6 = new Map<number, Map<number | string, Handles>>();
  #lengths4: number[] = [];
  #lengths6: number[] = [];

  add(block: IpBlock, handle: number): void {
    const table = block.version === 4 ? this.#v4 : this.#v6;
    let byBase = table.get(block.prefix);
    if (byBase === undefined) {
      byBase = new Map();
      table.set(block.prefix, byBase);
      if (block.version === 4) this.#lengths4 = [...this.#v4.keys()].sort((a, b) => a - b);
      else this.#lengths6 = [...this.#v6.keys()].sort((a, b) => a - b);
    }
    addHandle(byBase, block.version === 4 ? block.base : block.base.toString(16), handle);
  }

  remove(block: IpBlock, handle: number): boolean {
    const byBase = (block.version === 4 ? this.#v4 : this.#v6).get(block.prefix);
    return (
      byBase !== undefined &&
      removeHandle(byBase, block.version === 4 ? block.base : block.base.toString(16), handle)
    );
  }

  /** Adds to `hits` the handles of every block that contains the observed address or block. */
  lookup(value: string, hits: Hits): void {
    const own = parseIpBlock(value);
    if (own === undefined) return;
    if (own.version === 4) {
      for (const prefix of this.#lengths4) {
        if (prefix > own.prefix) break;
        const hit = this.#v4.get(prefix)?.get(maskV4(own.base, prefix));
        if (hit !== undefined) hits.take(hit);
      }
      return;
    }
    for (const prefix of this.#lengths6) {
      if (prefix > own.prefix) break;
      const hit = this.#v6.get(prefix)?.get(maskV6(own.base, prefix).toString(16));
      if (hit !== undefined) hits.take(hit);
    }
  }
}
