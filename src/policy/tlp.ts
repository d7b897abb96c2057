import { TLP1_MARKING_IDS, TLP2_MARKING_IDS } from '../stix/index.ts';

/**
 * TLP 2.0 levels as access control (issue 4 §2); `unknown` (a marking Tabella cannot honour)
 * denies everyone but the owner. How an object's markings give its TLP: object-tlp.ts.
 */
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

/** The TLP level a TLP 1.0 or 2.0 marking-definition id stands for; undefined for any other id. */
export function tlpOfMarkingId(id: unknown): Tlp | undefined {
  return typeof id === 'string' ? BY_MARKING_ID.get(id) : undefined;
}

/** The stricter of two levels (TLP 2.0: CLEAR < GREEN < AMBER < AMBER+STRICT < RED). */
export function stricterTlp(a: Tlp, b: Tlp | undefined): Tlp {
  return b !== undefined && STRICTNESS[b] > STRICTNESS[a] ? b : a;
}

export function isTlp(value: unknown): value is Tlp {
  return typeof value === 'string' && (TLPS as readonly string[]).includes(value);
}
