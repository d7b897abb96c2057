/**
 * STIX 2.1 §2.9 identifiers: `<object-type>--<RFC 4122 UUID>`; §2.5 type names: 3–250 characters
 * of a–z, 0–9 and `-`, starting with a letter, no `--`.
 *
 * Identifiers are canonical or refused: the UUID is written in lower case only. RFC 4122 §3 reads
 * hex case-insensitively, so `indicator--ABC…` and `indicator--abc…` would name the same object to
 * a consumer that compares UUIDs, while every comparison here (ownership, `created_by_ref`
 * forgery, duplicate versions) is on the text. Accepting both would let one object hide behind
 * another spelling of its identifier.
 */
const ID_RE =
  /^([a-z][a-z0-9-]{1,248}[a-z0-9])--([0-9a-f]{8}-[0-9a-f]{4}-([0-9a-f])[0-9a-f]{3}-([0-9a-f])[0-9a-f]{3}-[0-9a-f]{12})$/;
/** The same shape in any letter case: a value meant as an identifier, canonical or not. */
const ID_LIKE_RE = /^[a-z][a-z0-9-]{1,248}[a-z0-9]--[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}$/i;
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

/** Parses a canonical identifier; anything else, upper-case hex included, is undefined. */
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

/** True for text shaped like an identifier in any letter case (so that a non-canonical one is named). */
export function looksLikeIdentifier(value: string): boolean {
  return ID_LIKE_RE.test(value);
}
