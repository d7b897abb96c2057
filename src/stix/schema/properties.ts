import type { VocabularyName } from '../vocabularies.ts';

/** How a property's value is checked (STIX 2.1 §2 data types). */
export type PropertySpec =
  | { readonly k: 'string' | 'timestamp' | 'boolean' | 'binary' | 'hex' | 'dictionary' | 'object' | 'any' }
  | { readonly k: 'string-list' | 'object-list' }
  | { readonly k: 'integer' | 'float'; readonly min?: number; readonly max?: number }
  | {
      readonly k: 'ref' | 'refs';
      readonly types: readonly string[] | 'any' | 'sco' | 'sdo' | 'sdo-sco' | 'sco-sro';
    }
  | { readonly k: 'vocab' | 'vocab-list'; readonly vocab: VocabularyName }
  | { readonly k: 'enum' | 'enum-list'; readonly values: readonly string[] }
  | {
      readonly k: 'hashes' | 'kill-chain-phases' | 'external-references' | 'granular-markings' | 'extensions';
    };

export type PropertyTable = Readonly<Record<string, PropertySpec>>;

export type ObjectCategory = 'sdo' | 'sro' | 'sco' | 'meta';

export interface TypeSpec {
  readonly category: ObjectCategory;
  readonly properties: PropertyTable;
  readonly required: readonly string[];
  /** STIX 2.1 §6 contributing properties for the deterministic (UUIDv5) identifier of an SCO. */
  readonly idContributing?: readonly string[];
}

export const str = { k: 'string' } as const;
export const ts = { k: 'timestamp' } as const;
export const bool = { k: 'boolean' } as const;
export const strList = { k: 'string-list' } as const;
export const dict = { k: 'dictionary' } as const;
export const int = (min?: number, max?: number): PropertySpec =>
  min === undefined
    ? { k: 'integer' }
    : max === undefined
      ? { k: 'integer', min }
      : { k: 'integer', min, max };
export const ref = (...types: string[]): PropertySpec => ({ k: 'ref', types });
export const refs = (...types: string[]): PropertySpec => ({ k: 'refs', types });
export const vocab = (v: VocabularyName): PropertySpec => ({ k: 'vocab', vocab: v });
export const vocabList = (v: VocabularyName): PropertySpec => ({ k: 'vocab-list', vocab: v });

/** STIX 2.1 §3.2 common properties of SDOs and SROs. */
export const SDO_COMMON: PropertyTable = {
  type: str,
  spec_version: str,
  id: str,
  created_by_ref: ref('identity'),
  created: ts,
  modified: ts,
  revoked: bool,
  labels: strList,
  confidence: int(0, 100),
  lang: str,
  external_references: { k: 'external-references' },
  object_marking_refs: refs('marking-definition'),
  granular_markings: { k: 'granular-markings' },
  extensions: { k: 'extensions' },
};
export const SDO_REQUIRED = ['type', 'spec_version', 'id', 'created', 'modified'] as const;

/** STIX 2.1 §3.2 common properties of SCOs. */
export const SCO_COMMON: PropertyTable = {
  type: str,
  spec_version: str,
  id: str,
  object_marking_refs: refs('marking-definition'),
  granular_markings: { k: 'granular-markings' },
  defanged: bool,
  extensions: { k: 'extensions' },
};
export const SCO_REQUIRED = ['type', 'id'] as const;

/** SDO common properties an SCO must not carry (they are not defined for SCOs, §3.2 table). */
export const SCO_FORBIDDEN = [
  'created',
  'modified',
  'created_by_ref',
  'revoked',
  'labels',
  'confidence',
  'lang',
  'external_references',
] as const;

export const SCO_TYPES = [
  'artifact',
  'autonomous-system',
  'directory',
  'domain-name',
  'email-addr',
  'email-message',
  'file',
  'ipv4-addr',
  'ipv6-addr',
  'mac-addr',
  'mutex',
  'network-traffic',
  'process',
  'software',
  'url',
  'user-account',
  'windows-registry-key',
  'x509-certificate',
] as const;
