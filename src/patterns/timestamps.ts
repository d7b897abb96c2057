import type { TimestampValue } from './ast.ts';

// STIX 2.1 §3.2 timestamps (RFC 3339, UTC, "Z"); the pattern grammar's TimestampLiteral has the
// same shape. Upper-case "T" and "Z" are required, as in the reference matcher.
const TIMESTAMP_RE =
  /^(\d{4})-(0[1-9]|1[012])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):([0-5]\d):([0-5]\d|60)(?:\.(\d+))?Z$/;

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
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
  const m = TIMESTAMP_RE.exec(text);
  if (m === null) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (day > daysInMonth(year, month)) return undefined;
  const seconds =
    daysFromCivil(year, month, day) * 86_400 + Number(m[4]) * 3600 + Number(m[5]) * 60 + Number(m[6]);
  const fraction = (m[7] ?? '').slice(0, 6).padEnd(6, '0');
  return { text, epochMicros: seconds * 1_000_000 + Number(fraction) };
}
