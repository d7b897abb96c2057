import type { ExternalReference, GranularMarking, Identifier, SdoCommon, Timestamp } from './common.ts';

/** STIX 2.1 §7.2 marking definition, with TLP 1.0, statement or an extension (e.g. TLP 2.0). */
export interface MarkingDefinition {
  readonly type: 'marking-definition';
  readonly spec_version: '2.1';
  readonly id: Identifier<'marking-definition'>;
  readonly created_by_ref?: Identifier<'identity'>;
  readonly created: Timestamp;
  readonly external_references?: readonly ExternalReference[];
  readonly object_marking_refs?: readonly Identifier<'marking-definition'>[];
  readonly granular_markings?: readonly GranularMarking[];
  readonly name?: string;
  readonly definition_type?: 'tlp' | 'statement' | (string & {});
  readonly definition?: Readonly<{ tlp?: string; statement?: string }>;
  readonly extensions?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/** STIX 2.1 §7.1 language content. */
export interface LanguageContent extends SdoCommon<'language-content'> {
  readonly object_ref: Identifier;
  readonly object_modified?: Timestamp;
  readonly contents: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/** STIX 2.1 §7.3 extension definition. */
export interface ExtensionDefinition extends SdoCommon<'extension-definition'> {
  readonly name: string;
  readonly description?: string;
  readonly schema: string;
  readonly version: string;
  readonly extension_types: readonly (
    | 'new-sdo'
    | 'new-sco'
    | 'new-sro'
    | 'property-extension'
    | 'toplevel-property-extension'
  )[];
  readonly extension_properties?: readonly string[];
}

export type StixMetaObject = MarkingDefinition | LanguageContent | ExtensionDefinition;
