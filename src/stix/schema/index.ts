import { META_SPECS } from './meta.ts';
import { SCO_COMMON, SCO_REQUIRED, SDO_COMMON, SDO_REQUIRED, type TypeSpec } from './properties.ts';
import { SCO_SPECS } from './sco.ts';
import { SDO_SPECS, SRO_SPECS } from './sdo.ts';

function build(): ReadonlyMap<string, TypeSpec> {
  const map = new Map<string, TypeSpec>();
  for (const [type, s] of Object.entries(SDO_SPECS)) {
    map.set(type, {
      category: 'sdo',
      properties: { ...SDO_COMMON, ...s.properties },
      required: [...SDO_REQUIRED, ...s.required],
    });
  }
  for (const [type, s] of Object.entries(SRO_SPECS)) {
    map.set(type, {
      category: 'sro',
      properties: { ...SDO_COMMON, ...s.properties },
      required: [...SDO_REQUIRED, ...s.required],
    });
  }
  for (const [type, s] of Object.entries(SCO_SPECS)) {
    map.set(type, {
      category: 'sco',
      properties: { ...SCO_COMMON, ...s.properties },
      required: [...SCO_REQUIRED, ...s.required],
      idContributing: s.idContributing,
    });
  }
  map.set('marking-definition', { category: 'meta', ...META_SPECS['marking-definition']! });
  for (const type of ['language-content', 'extension-definition']) {
    const s = META_SPECS[type]!;
    map.set(type, {
      category: 'meta',
      properties: { ...SDO_COMMON, ...s.properties },
      required: [...SDO_REQUIRED, ...s.required],
    });
  }
  return map;
}

/** Every STIX 2.1 object type the specification defines, with its property table. */
export const TYPE_SPECS: ReadonlyMap<string, TypeSpec> = build();

export function isScoType(type: string): boolean {
  return TYPE_SPECS.get(type)?.category === 'sco';
}

export type { ObjectCategory, PropertySpec, TypeSpec } from './properties.ts';
export { SCO_FORBIDDEN, SCO_TYPES } from './properties.ts';
