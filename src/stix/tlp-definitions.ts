import { canonicalJson } from '../core/canonical-json.ts';
import {
  TLP1_MARKING_IDS,
  TLP2_EXTENSION_ID,
  TLP2_MARKING_IDS,
  type Tlp1Level,
  type Tlp2Level,
} from './markings.ts';
import { compareTimestamps, parseStixTimestamp } from './timestamp.ts';

type Obj = Readonly<Record<string, unknown>>;

/** STIX 2.1 §7.2.1.4: the four TLP 1.0 marking definitions, exactly as the specification prints them. */
function tlp1(level: Tlp1Level): Obj {
  return Object.freeze({
    type: 'marking-definition',
    spec_version: '2.1',
    id: TLP1_MARKING_IDS[level],
    created: '2017-01-20T00:00:00.000Z',
    definition_type: 'tlp',
    name: `TLP:${level.toUpperCase()}`,
    definition: Object.freeze({ tlp: level }),
  });
}

/**
 * The five TLP 2.0 marking definitions the OASIS CTI TC publishes with the property extension
 * `extension-definition--60a3c5c5-…` (cti-stix-common-objects, `objects/marking-definition/`).
 */
function tlp2(level: Tlp2Level): Obj {
  return Object.freeze({
    type: 'marking-definition',
    spec_version: '2.1',
    id: TLP2_MARKING_IDS[level],
    created: '2022-10-01T00:00:00.000Z',
    name: `TLP:${level.toUpperCase()}`,
    extensions: Object.freeze({
      [TLP2_EXTENSION_ID]: Object.freeze({ extension_type: 'property-extension', tlp_2_0: level }),
    }),
  });
}

/** The built-in TLP marking definitions by id: every Tabella instance holds these nine. */
export const TLP_DEFINITIONS: ReadonlyMap<string, Obj> = new Map(
  [
    ...(Object.keys(TLP1_MARKING_IDS) as Tlp1Level[]).map(tlp1),
    ...(Object.keys(TLP2_MARKING_IDS) as Tlp2Level[]).map(tlp2),
  ].map((d) => [d.id as string, d]),
);

/** Whether `id` is the identifier of one of the built-in TLP 1.0 or 2.0 marking definitions. */
export function isTlpDefinitionId(id: unknown): id is string {
  return typeof id === 'string' && TLP_DEFINITIONS.has(id);
}

/** Timestamps are equal when they name the same instant (§3.2 allows any fraction precision). */
function sameInstant(a: unknown, b: unknown): boolean {
  if (typeof a !== 'string' || typeof b !== 'string') return false;
  const x = parseStixTimestamp(a);
  const y = parseStixTimestamp(b);
  return x !== undefined && y !== undefined && compareTimestamps(x, y) === 0;
}

/**
 * Whether `o` (attacker-controlled) is the official definition its id names: the same properties
 * with the same values, `created` compared as an instant. Anything else under one of these ids —
 * another text, an extra property, a missing name — would let a member redefine what TLP:RED
 * means for everyone who resolves the id (STIX 2.1 §7.2.1.4; TLP 2.0 extension).
 *
 * @example
 * isOfficialTlpDefinition({ ...TLP_DEFINITIONS.get(TLP2_MARKING_IDS.red), name: 'mine' }); // false
 */
export function isOfficialTlpDefinition(o: Obj): boolean {
  const official = typeof o.id === 'string' ? TLP_DEFINITIONS.get(o.id) : undefined;
  if (official === undefined) return false;
  const keys = Object.keys(o);
  if (keys.length !== Object.keys(official).length) return false;
  return keys.every((k) =>
    k === 'created'
      ? sameInstant(o[k], official[k])
      : Object.hasOwn(official, k) &&
        o[k] !== undefined &&
        canonicalJson(o[k]) === canonicalJson(official[k]),
  );
}
