import { iso31661, iso31662 } from 'iso-3166';

/**
 * A jurisdiction is one of three forms (docs/api.md, "Jurisdictions"):
 *
 * - an ISO 3166-1 alpha-2 country code, for national bodies: `US`, `DE`;
 * - an ISO 3166-2 subdivision code, checked against the published list: `US-NC`, `CA-ON`, `DE-BY`;
 * - a US county (or county equivalent): the state's ISO 3166-2 code and the county's three-digit
 *   FIPS code (INCITS 31, the last three digits of the five-digit county FIPS code), `US-NC-063`
 *   for Durham County, North Carolina (FIPS 37063). County election offices are the most common
 *   members of an election-security partnership.
 *
 * The state part of a county code is checked against the published ISO 3166-2 list; the county part
 * only by its shape (001–999), since no list of FIPS county codes ships with Tabella's dependencies.
 * Input is attacker-controlled and case-insensitive; the canonical form is upper case.
 */
const SUBDIVISIONS: ReadonlySet<string> = new Set(iso31662.map((s) => s.code));
const COUNTRIES: ReadonlySet<string> = new Set(iso31661.map((c) => c.alpha2));

/** `US-<state>-<three-digit FIPS county code>`; the state is checked against ISO 3166-2 separately. */
const US_COUNTY = /^(US-[A-Z]{2})-(\d{3})$/;

/** Returns the canonical code, or undefined when the value is not a known jurisdiction. */
export function normalizeJurisdiction(value: string): string | undefined {
  const code = value.trim().toUpperCase();
  if (SUBDIVISIONS.has(code) || COUNTRIES.has(code)) return code;
  const county = US_COUNTY.exec(code);
  if (county !== null && SUBDIVISIONS.has(county[1] ?? '') && county[2] !== '000') return code;
  return undefined;
}
