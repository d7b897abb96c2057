import { iso31661, iso31662 } from 'iso-3166';

/**
 * Jurisdictions are ISO 3166-2 subdivision codes (`US-NC`, `CA-ON`, `DE-BY`), checked against the
 * published list, or — for national bodies — an ISO 3166-1 alpha-2 country code (`US`).
 * Input is case-insensitive; the canonical form is upper case.
 */
const SUBDIVISIONS: ReadonlySet<string> = new Set(iso31662.map((s) => s.code));
const COUNTRIES: ReadonlySet<string> = new Set(iso31661.map((c) => c.alpha2));

/** Returns the canonical code, or undefined when the value is not a known jurisdiction. */
export function normalizeJurisdiction(value: string): string | undefined {
  const code = value.trim().toUpperCase();
  if (SUBDIVISIONS.has(code) || COUNTRIES.has(code)) return code;
  return undefined;
}
