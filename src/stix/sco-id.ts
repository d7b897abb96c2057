import { createHash, randomUUID } from 'node:crypto';
import { canonicalJson } from '../core/canonical-json.ts';
import { TYPE_SPECS } from './schema/index.ts';

/** STIX 2.1 §2.9: namespace of deterministic SCO identifiers. */
export const SCO_ID_NAMESPACE = '00abedb4-aa42-466c-9c01-fed23315a9b7';

/** RFC 4122 §4.3 name-based UUID, version 5 (SHA-1). */
export function uuidV5(namespace: string, name: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// When several hashes are present only one contributes, in this order of preference (§6, as the
// OASIS stix2 library does); otherwise the first one given.
const HASH_PREFERENCE = ['MD5', 'SHA-1', 'SHA-256', 'SHA-512'];

function chooseOneHash(hashes: Readonly<Record<string, unknown>>): Record<string, unknown> | undefined {
  const key = HASH_PREFERENCE.find((k) => Object.hasOwn(hashes, k)) ?? Object.keys(hashes)[0];
  return key === undefined ? undefined : { [key]: hashes[key] };
}

/**
 * The deterministic identifier of an SCO (STIX 2.1 §2.9): UUIDv5 in the STIX namespace over the
 * RFC 8785 canonical JSON of its ID-contributing properties. Returns undefined for types without
 * contributing properties (e.g. process) or when none is present — those use UUIDv4.
 *
 * @example
 * scoDeterministicId({ type: 'ipv4-addr', value: '198.51.100.3' });
 */
export function scoDeterministicId(sco: Readonly<Record<string, unknown>>): string | undefined {
  const type = sco.type;
  if (typeof type !== 'string') return undefined;
  const contributing = TYPE_SPECS.get(type)?.idContributing;
  if (contributing === undefined) return undefined;
  const selected: Record<string, unknown> = {};
  for (const key of contributing) {
    const value = sco[key];
    if (value === undefined) continue;
    if (key === 'hashes' && typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const one = chooseOneHash(value as Record<string, unknown>);
      if (one !== undefined) selected[key] = one;
    } else {
      selected[key] = value;
    }
  }
  if (Object.keys(selected).length === 0) return undefined;
  return `${type}--${uuidV5(SCO_ID_NAMESPACE, canonicalJson(selected))}`;
}

/** An identifier for a new SCO: deterministic when possible, random (UUIDv4) otherwise. */
export function scoIdentifier(sco: Readonly<Record<string, unknown>> & { readonly type: string }): string {
  return scoDeterministicId(sco) ?? `${sco.type}--${randomUUID()}`;
}
