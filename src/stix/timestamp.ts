/**
 * STIX 2.1 §3.2 timestamps: RFC 3339, UTC only, `Z` suffix, optional fractional seconds.
 * Returns the instant in milliseconds plus the fraction digits (for precision checks).
 */
const RE =
  /^(\d{4})-(0[1-9]|1[012])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):([0-5]\d):([0-5]\d|60)(?:\.(\d+))?Z$/;

/**
 * Fraction digits Tabella keeps: nanoseconds. STIX 2.1 §3.2 allows any precision, but stored
 * versions are keyed and compared as text at nine digits (as TAXII 2.1 `match[version]` is), so a
 * tenth digit could not be told apart; such timestamps are refused (`TIMESTAMP_PRECISION`) rather
 * than rounded into another version or into none.
 */
export const MAX_FRACTION_DIGITS = 9;

export interface StixTimestamp {
  /** Instant with sub-millisecond digits as a decimal fraction of a millisecond. */
  readonly millis: number;
  /** Number of fractional-second digits written. */
  readonly precision: number;
  /** Fraction digits beyond milliseconds, for exact comparison of equal-millisecond instants. */
  readonly subMillis: string;
}

function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

export function parseStixTimestamp(text: string): StixTimestamp | undefined {
  const m = RE.exec(text);
  if (m === null) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (day > daysIn(year, month)) return undefined;
  const fraction = m[7] ?? '';
  const ms = fraction.length >= 3 ? Number(fraction.slice(0, 3)) : Number(fraction.padEnd(3, '0'));
  let millis: number;
  if (year >= 100) millis = Date.UTC(year, month - 1, day, Number(m[4]), Number(m[5]), Number(m[6]), ms);
  else {
    // Date.UTC reads years 0–99 as 1900–1999.
    const d = new Date(0);
    d.setUTCFullYear(year, month - 1, day);
    d.setUTCHours(Number(m[4]), Number(m[5]), Number(m[6]), ms);
    millis = d.getTime();
  }
  let subMillis = fraction.length > 3 ? fraction.slice(3) : '';
  if (subMillis.endsWith('0')) subMillis = subMillis.replace(/0+$/, '');
  return { millis, precision: fraction.length, subMillis };
}

/** Orders two parsed timestamps exactly, including digits beyond milliseconds. */
export function compareTimestamps(a: StixTimestamp, b: StixTimestamp): number {
  if (a.millis !== b.millis) return a.millis - b.millis;
  const width = Math.max(a.subMillis.length, b.subMillis.length);
  const x = a.subMillis.padEnd(width, '0');
  const y = b.subMillis.padEnd(width, '0');
  return x < y ? -1 : x > y ? 1 : 0;
}
