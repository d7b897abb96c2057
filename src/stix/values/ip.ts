import { maskV4, maskV6, parseIpv4, parseIpv6 } from '../../patterns/index.ts';

/**
 * The narrowest CIDR blocks Tabella stores and exports: an IPv4 /8 (one IANA allocation) and an
 * IPv6 /16 (wider than any RIR allocation). STIX 2.1 §6.4–§6.5 allow any block, but `0.0.0.0/0`
 * or `::/1` in a shared blocklist blocks everything for every member's firewall; a block that
 * wide is never intelligence about one adversary.
 */
export const MIN_IPV4_PREFIX = 8;
export const MIN_IPV6_PREFIX = 16;

const PREFIX_RE = /^(?:0|[1-9]\d{0,2})$/;
/** An IPv4 tail is allowed only as the last 32 bits (RFC 4291 §2.2 form 3). */
const V4_TAIL_RE = /:(?:\d{1,3}\.){3}\d{1,3}$/;

interface Split {
  readonly addr: string;
  readonly prefix: number | undefined;
}

function splitPrefix(value: string, max: number): Split | string {
  const parts = value.split('/');
  if (parts.length > 2) return 'more than one "/"';
  const [addr = '', prefixText] = parts;
  if (prefixText === undefined) return { addr, prefix: undefined };
  if (!PREFIX_RE.test(prefixText) || Number(prefixText) > max)
    return `the prefix length must be a decimal 0–${max}`;
  return { addr, prefix: Number(prefixText) };
}

/** Why `value` is not an IPv4 address or CIDR block Tabella accepts, or undefined when it is. */
export function ipv4Problem(value: string, allowPrefix = true): string | undefined {
  const split = splitPrefix(value, 32);
  if (typeof split === 'string') return split;
  const address = parseIpv4(split.addr);
  // parseIpv4 refuses leading zeros: `010.0.0.1` is octal to some parsers and decimal to others.
  if (address === undefined) return 'not a dotted-quad IPv4 address (four decimal octets 0–255)';
  if (split.prefix === undefined) return undefined;
  if (!allowPrefix) return 'a CIDR block is not allowed here';
  if (split.prefix < MIN_IPV4_PREFIX) return `a CIDR block wider than /${MIN_IPV4_PREFIX} is refused`;
  if (maskV4(address, split.prefix) !== address)
    return 'the CIDR block has host bits set; write its network address';
  return undefined;
}

/** Why `value` is not an IPv6 address or CIDR block Tabella accepts, or undefined when it is. */
export function ipv6Problem(value: string, allowPrefix = true): string | undefined {
  const split = splitPrefix(value, 128);
  if (typeof split === 'string') return split;
  const { addr } = split;
  if (addr.includes('%')) return 'zone identifiers are not part of an address value';
  const address = addr.includes('.') && !V4_TAIL_RE.test(addr) ? undefined : parseIpv6(addr);
  if (address === undefined) return 'not an IPv6 address (RFC 4291 §2.2)';
  if (split.prefix === undefined) return undefined;
  if (!allowPrefix) return 'a CIDR block is not allowed here';
  if (split.prefix < MIN_IPV6_PREFIX) return `a CIDR block wider than /${MIN_IPV6_PREFIX} is refused`;
  if (maskV6(address, split.prefix) !== address)
    return 'the CIDR block has host bits set; write its network address';
  return undefined;
}

/**
 * True for the unspecified address (`0.0.0.0`, `::`, as an address or a /32, /128 block): valid
 * (a sinkholed DNS answer), but many firewalls read it as "any", so blocklists leave it out.
 */
export function isUnspecifiedAddress(value: string): boolean {
  const [addr = '', prefix] = value.split('/');
  if (parseIpv4(addr) === 0) return prefix === undefined || prefix === '32';
  if (!addr.includes('.') && parseIpv6(addr) === 0n) return prefix === undefined || prefix === '128';
  return false;
}
