import type { TimestampValue } from './ast.ts';

// STIX 2.1 §3.2 timestamps (RFC 3339, UTC, "Z"); the pattern grammar's TimestampLiteral has the
// same shape: YYYY-MM-DDTHH:MM:SS[.fraction]Z. Upper-case "T" and "Z" are required, as in the
// reference matcher. Parsed by hand: this runs for every observed-data on the detection path.

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** The number written by `count` ASCII digits at `at`, or -1. */
function digits(text: string, at: number, count: number): number {
  let n = 0;
  for (let i = at; i < at + count; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * Parses an RFC 3339 UTC timestamp to microseconds since the epoch, or undefined when it is not
 * one. Precision beyond microseconds is truncated (as Python's datetime does in the reference
 * matcher); a leap second `:60` counts as the first instant of the next minute.
 *
 * @example
 * parseTimestamp('2016-04-06T20:03:48.123Z')?.epochMicros; // 1459973028123000
 */
export function parseTimestamp(text: string): TimestampValue | undefined {
  const n = text.length;
  if (n < 20 || text.charCodeAt(n - 1) !== 0x5a) return undefined;
  if (text[4] !== '-' || text[7] !== '-' || text[10] !== 'T' || text[13] !== ':' || text[16] !== ':')
    return undefined;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) return undefined;
  let micros = 0;
  if (n > 20) {
    // A fraction: '.' then at least one digit, up to the final 'Z'.
    if (text[19] !== '.' || n < 22) return undefined;
    for (let i = 20; i < n - 1; i++) {
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return undefined;
      if (i < 26) micros += d * 10 ** (25 - i);
    }
  }
  const seconds = daysFromCivil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second;
  return { text, epochMicros: seconds * 1_000_000 + micros };
}
