import type { ShareFailureCode } from '../core/errors.ts';
import { isOfficialTlpDefinition, isTlpDefinitionId } from '../stix/index.ts';
import { type EffectiveTlp, stricterTlp, type Tlp, tlpMarkingId, tlpOfMarkingId } from './tlp.ts';

type Obj = Readonly<Record<string, unknown>>;

/**
 * Whether the instance holds the marking definition `id` (one that is not TLP): a definition
 * stored in Tabella that the sharer can see, or one sent in the same share request. The caller
 * looks these up (features/intel/held-markings.ts); this layer stays pure.
 */
export type HoldsMarking = (id: string) => boolean;

/** What the markings of one object say, before the share's default TLP is applied. */
export interface MarkingsRead {
  /** The strictest TLP marking in `object_marking_refs`. */
  readonly objectTlp: Tlp | undefined;
  /** The strictest TLP marking among `granular_markings` (STIX 2.1 §7.2.3). */
  readonly granularTlp: Tlp | undefined;
  /** Some reference names a marking definition that is neither TLP nor held: it cannot be honoured. */
  readonly unknown: boolean;
}

/**
 * Every marking-definition reference of an object (attacker-controlled): `object_marking_refs`
 * and each granular marking's `marking_ref`. A granular marking may carry `lang` instead of
 * `marking_ref` (§7.2.3); that is a language, not a marking, and is skipped. `undefined` when a
 * property has a shape no valid object has — the caller treats the object as unknown.
 */
function referencesOf(
  o: Obj,
): { readonly objectRefs: unknown[]; readonly granularRefs: unknown[] } | undefined {
  const refs = o.object_marking_refs ?? [];
  const granular = o.granular_markings ?? [];
  if (!Array.isArray(refs) || !Array.isArray(granular)) return undefined;
  const granularRefs: unknown[] = [];
  for (const g of granular) {
    if (typeof g !== 'object' || g === null) return undefined;
    const { marking_ref: ref, lang } = g as Obj;
    if (ref !== undefined) granularRefs.push(ref);
    else if (lang === undefined) return undefined;
  }
  return { objectRefs: refs, granularRefs };
}

/** The marking-definition ids of an object that are not TLP: what `holds` will be asked about. */
export function nonTlpMarkingRefs(o: Obj): string[] {
  const refs = referencesOf(o);
  if (refs === undefined) return [];
  return [...refs.objectRefs, ...refs.granularRefs].filter(
    (r): r is string => typeof r === 'string' && tlpOfMarkingId(r) === undefined,
  );
}

/** Reads an object's markings; several TLP markings: the strictest wins. */
export function readMarkings(o: Obj, holds: HoldsMarking): MarkingsRead {
  const refs = referencesOf(o);
  if (refs === undefined) return { objectTlp: undefined, granularTlp: undefined, unknown: true };
  let unknown = false;
  const strictest = (list: readonly unknown[]): Tlp | undefined => {
    let found: Tlp | undefined;
    for (const ref of list) {
      const tlp = tlpOfMarkingId(ref);
      if (tlp !== undefined) found = stricterTlp(tlp, found);
      else if (typeof ref !== 'string' || !holds(ref)) unknown = true;
    }
    return found;
  };
  const objectTlp = strictest(refs.objectRefs);
  const granularTlp = strictest(refs.granularRefs);
  return { objectTlp, granularTlp, unknown };
}

/** The strictest TLP among an object's granular markings, whatever else it references. */
export function granularTlpOf(o: Obj): Tlp | undefined {
  return readMarkings(o, () => true).granularTlp;
}

export type MarkedObject =
  | {
      readonly ok: true;
      /** The TLP every decision about the object uses: sharing, relaying, visibility, exports, TAXII. */
      readonly tlp: EffectiveTlp;
      /** The object to store: as shared, or with its TLP marking added to `object_marking_refs`. */
      readonly object: Obj;
    }
  | {
      readonly ok: false;
      readonly code: Extract<ShareFailureCode, 'INVALID_MARKING'>;
      readonly message: string;
    };

/**
 * The effective TLP of an object being shared, and the object to store (docs/sharing.md).
 *
 * - Its TLP comes from its TLP markings, object-level and granular alike, and the strictest wins:
 *   a CLEAR object whose `description` is marked RED is RED for every decision. (Tabella does not
 *   cut marked parts out for some audiences; an object reaches an audience whole or not at all.)
 * - An object without an object-level TLP marking takes `fallback` (the TLP it is shared under),
 *   or the stricter granular level; that marking is added to its `object_marking_refs`, keeping
 *   its other markings, so it travels with the object through exports and TAXII.
 * - A reference to a definition that is neither TLP nor held makes it `unknown`: only its owner
 *   sees it (deny by default).
 * - A built-in TLP definition must equal the official one; it is public text, so TLP:CLEAR, and is
 *   stored unchanged.
 *
 * @example
 * markObject({ ...indicator, granular_markings: [{ marking_ref: RED, selectors: ['pattern'] }] }, 'clear', holds);
 * // → { ok: true, tlp: 'red', object: { ..., object_marking_refs: [RED] } }
 */
export function markObject(o: Obj, fallback: Tlp, holds: HoldsMarking): MarkedObject {
  if (isTlpDefinitionId(o.id)) {
    return isOfficialTlpDefinition(o)
      ? { ok: true, tlp: 'clear', object: o }
      : {
          ok: false,
          code: 'INVALID_MARKING',
          message: 'a built-in TLP marking definition must equal the official one',
        };
  }
  const m = readMarkings(o, holds);
  if (m.unknown) return { ok: true, tlp: 'unknown', object: o };
  const tlp = stricterTlp(m.objectTlp ?? fallback, m.granularTlp);
  if (m.objectTlp !== undefined) return { ok: true, tlp, object: o };
  const others = Array.isArray(o.object_marking_refs) ? (o.object_marking_refs as unknown[]) : [];
  return { ok: true, tlp, object: { ...o, object_marking_refs: [...others, tlpMarkingId(tlp)] } };
}
