/**
 * STIX 2.1 §2.9 identifiers: `<object-type>--<RFC 4122 UUID>`; §2.5 type names: 3–250 characters
 * of a–z, 0–9 and `-`, starting with a letter, no `--`.
 */
const ID_RE =
  /^([a-z][a-z0-9-]{1,248}[a-z0-9])--([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-([0-9a-fA-F])[0-9a-fA-F]{3}-([0-9a-fA-F])[0-9a-fA-F]{3}-[0-9a-fA-F]{12})$/;
const TYPE_RE = /^[a-z][a-z0-9-]{1,248}[a-z0-9]$/;

export interface ParsedIdentifier {
  readonly type: string;
  readonly uuid: string;
  readonly version: number;
  /** True when the UUID has the RFC 4122 variant bits (10xx). */
  readonly rfc4122: boolean;
}

export function isTypeName(type: string): boolean {
  return TYPE_RE.test(type) && !type.includes('--');
}

export function parseIdentifier(id: string): ParsedIdentifier | undefined {
  const m = ID_RE.exec(id);
  if (m === null || m[1]?.includes('--')) return undefined;
  const variant = Number.parseInt(m[4] ?? '0', 16);
  return {
    type: m[1] ?? '',
    uuid: m[2] ?? '',
    version: Number.parseInt(m[3] ?? '0', 16),
    rfc4122: variant >= 8 && variant <= 11,
  };
}
