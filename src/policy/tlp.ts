import { TLP1_MARKING_IDS, TLP2_MARKING_IDS } from '../stix/index.ts';

/** TLP 2.0 levels as access control (issue 4 §2); `unknown` denies everyone but the owner. */
export const TLPS = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;
export type Tlp = (typeof TLPS)[number];
export type EffectiveTlp = Tlp | 'unknown';

const BY_MARKING_ID: ReadonlyMap<string, Tlp> = new Map<string, Tlp>([
  ...Object.entries(TLP2_MARKING_IDS).map(([level, id]) => [id, level as Tlp] as const),
  // TLP 1.0 (STIX 2.1 §7.2.1.4) mapped to 2.0: WHITE became CLEAR; the others keep their names.
  [TLP1_MARKING_IDS.white, 'clear'],
  [TLP1_MARKING_IDS.green, 'green'],
  [TLP1_MARKING_IDS.amber, 'amber'],
  [TLP1_MARKING_IDS.red, 'red'],
]);

const STRICTNESS: Readonly<Record<Tlp, number>> = { clear: 0, green: 1, amber: 2, 'amber+strict': 3, red: 4 };

export function tlpMarkingId(tlp: Tlp): string {
  return TLP2_MARKING_IDS[tlp];
}

/**
 * The TLP of an object from its `object_marking_refs` (attacker-controlled). Several TLP markings:
 * the strictest wins. A marking-definition reference that is not a TLP marking makes the object
 * `unknown` (a marking we cannot enforce denies); no marking at all yields `fallback`.
 */
export function tlpOfMarkings(refs: unknown, fallback: Tlp): EffectiveTlp {
  if (refs === undefined) return fallback;
  if (!Array.isArray(refs)) return 'unknown';
  let found: Tlp | undefined;
  for (const ref of refs) {
    const tlp = typeof ref === 'string' ? BY_MARKING_ID.get(ref) : undefined;
    if (tlp === undefined) return 'unknown';
    if (found === undefined || STRICTNESS[tlp] > STRICTNESS[found]) found = tlp;
  }
  return found ?? fallback;
}

export function isTlp(value: unknown): value is Tlp {
  return typeof value === 'string' && (TLPS as readonly string[]).includes(value);
}
