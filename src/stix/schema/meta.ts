import { type PropertyTable, ref, str, strList, ts } from './properties.ts';

/** STIX 2.1 §7 meta objects. Marking definitions have their own common-property set (§7.2.1). */
export const META_SPECS: Readonly<
  Record<string, { readonly properties: PropertyTable; readonly required: readonly string[] }>
> = {
  'marking-definition': {
    properties: {
      type: str,
      spec_version: str,
      id: str,
      created_by_ref: ref('identity'),
      created: ts,
      external_references: { k: 'external-references' },
      object_marking_refs: { k: 'refs', types: ['marking-definition'] },
      granular_markings: { k: 'granular-markings' },
      extensions: { k: 'extensions' },
      name: str,
      definition_type: str,
      definition: { k: 'object' },
    },
    required: ['type', 'spec_version', 'id', 'created'],
  },
  'language-content': {
    properties: {
      object_ref: { k: 'ref', types: 'any' },
      object_modified: ts,
      contents: { k: 'dictionary' },
    },
    required: ['object_ref', 'contents'],
  },
  'extension-definition': {
    properties: {
      name: str,
      description: str,
      schema: str,
      version: str,
      extension_types: {
        k: 'enum-list',
        values: ['new-sdo', 'new-sco', 'new-sro', 'property-extension', 'toplevel-property-extension'],
      },
      extension_properties: strList,
    },
    required: ['name', 'schema', 'version', 'extension_types', 'created_by_ref'],
  },
};
