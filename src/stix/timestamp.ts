/**
 * STIX 2.1 §3.2 timestamps: RFC 3339, UTC only, `Z` suffix, optional fractional seconds.
 * Returns the instant in milliseconds plus the fraction digits (for precision checks).
 */
const RE =
  /^(\d{4})-(0[1-9]|1[012])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):([0-5]\d):([0-5]\d|60)(?:\.(\d+))?Z$/;

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
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

export function parseStixTimestamp(text: string): StixTimestamp | undefined {
  const m = RE.exec(text);
  if (m === null) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (day > daysIn(year, month)) return undefined;
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(Number(m[4]), Number(m[5]), Number(m[6]), Number((m[7] ?? '').slice(0, 3).padEnd(3, '0')));
  const fraction = m[7] ?? '';
  return { millis: d.getTime(), precision: fraction.length, subMillis: fraction.slice(3).replace(/0+$/, '') };
}

/** Orders two parsed timestamps exactly, including digits beyond milliseconds. */
export function compareTimestamps(a: StixTimestamp, b: StixTimestamp): number {
  if (a.millis !== b.millis) return a.millis - b.millis;
  const width = Math.max(a.subMillis.length, b.subMillis.length);
  const x = a.subMillis.padEnd(width, '0');
  const y = b.subMillis.padEnd(width, '0');
  return x < y ? -1 : x > y ? 1 : 0;
}
