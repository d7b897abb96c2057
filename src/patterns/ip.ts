/**
 * IPv4/IPv6 addresses and CIDR blocks for ISSUBSET / ISSUPERSET (STIX 2.1 §9.6.2). IPv4 values
 * are unsigned 32-bit numbers, IPv6 values are bigints; a plain address is a /32 or /128 block.
 */
export type IpBlock =
  | { readonly version: 4; readonly base: number; readonly prefix: number }
  | { readonly version: 6; readonly base: bigint; readonly prefix: number };

/** Parses a dotted-quad IPv4 address (no leading zeros) to an unsigned 32-bit number. */
export function parseIpv4(text: string): number | undefined {
  let value = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 0x2e;
    if (c === 0x2e) {
      if (digits === 0 || part > 255) return undefined;
      value = value * 256 + part;
      part = 0;
      digits = 0;
      dots++;
      continue;
    }
    const d = c - 48;
    if (d < 0 || d > 9 || (digits === 1 && part === 0) || digits === 3) return undefined;
    part = part * 10 + d;
    digits++;
  }
  return dots === 4 ? value : undefined;
}

const HEXTET_RE = /^[0-9a-fA-F]{1,4}$/;

function parseHextets(part: string): number[] | undefined {
  if (part === '') return [];
  const out: number[] = [];
  const pieces = part.split(':');
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i] ?? '';
    if (i === pieces.length - 1 && piece.includes('.')) {
      const v4 = parseIpv4(piece);
      if (v4 === undefined) return undefined;
      out.push(v4 >>> 16, v4 & 0xffff);
    } else if (HEXTET_RE.test(piece)) out.push(Number.parseInt(piece, 16));
    else return undefined;
  }
  return out;
}

/** Parses an IPv6 address (RFC 4291 §2.2 text forms, including `::` and an embedded IPv4 tail). */
export function parseIpv6(text: string): bigint | undefined {
  if (text.length > 45) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = parseHextets(halves[0] ?? '');
  const tail = halves.length === 2 ? parseHextets(halves[1] ?? '') : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...new Array<number>(missing).fill(0), ...tail];
  let value = 0n;
  for (const h of all) value = (value << 16n) | BigInt(h);
  return value;
}

/** Parses `addr` or `addr/prefix` for IPv4 or IPv6; the host bits are masked off. */
export function parseIpBlock(text: string): IpBlock | undefined {
  const slash = text.indexOf('/');
  const addr = slash < 0 ? text : text.slice(0, slash);
  const prefixText = slash < 0 ? undefined : text.slice(slash + 1);
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return undefined;
  const v4 = parseIpv4(addr);
  if (v4 !== undefined) {
    const prefix = prefixText === undefined ? 32 : Number(prefixText);
    if (prefix > 32) return undefined;
    return { version: 4, base: maskV4(v4, prefix), prefix };
  }
  const v6 = parseIpv6(addr);
  if (v6 === undefined) return undefined;
  const prefix = prefixText === undefined ? 128 : Number(prefixText);
  if (prefix > 128) return undefined;
  return { version: 6, base: maskV6(v6, prefix), prefix };
}

export function maskV4(value: number, prefix: number): number {
  return prefix === 0 ? 0 : (value & (0xffffffff << (32 - prefix))) >>> 0;
}

export function maskV6(value: bigint, prefix: number): bigint {
  const hostBits = BigInt(128 - prefix);
  return (value >> hostBits) << hostBits;
}

/** True when block `inner` lies within block `outer` (same address family). */
export function blockContains(outer: IpBlock, inner: IpBlock): boolean {
  if (outer.prefix > inner.prefix) return false;
  if (outer.version === 4 && inner.version === 4) return maskV4(inner.base, outer.prefix) === outer.base;
  if (outer.version === 6 && inner.version === 6) return maskV6(inner.base, outer.prefix) === outer.base;
  return false;
}
