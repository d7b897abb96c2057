import { randomBytes, randomUUID } from 'node:crypto';

/** Resource identifiers are `<prefix>_<uuid v4>`, readable in logs and unguessable. */
export type IdPrefix = 'org' | 'mbr' | 'tok' | 'ses' | 'inv' | 'evt' | 'int' | 'grp';

export function newId(prefix: IdPrefix): string {
  return `${prefix}_${randomUUID()}`;
}

const ID_RE =
  /^(org|mbr|tok|ses|inv|evt)_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export function isId(value: string, prefix: IdPrefix): boolean {
  return ID_RE.test(value) && value.startsWith(`${prefix}_`);
}

/** A random secret encoded as base64url, `bytes` long before encoding. */
export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
