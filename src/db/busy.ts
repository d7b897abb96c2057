/**
 * Whether a database error means another connection held a lock for longer than this one was
 * willing to wait: SQLite's SQLITE_BUSY and SQLITE_LOCKED (with their extended codes, e.g.
 * SQLITE_BUSY_SNAPSHOT), PostgreSQL's SQLSTATE 55P03 (lock_not_available, after `lock_timeout`).
 * Such a transaction was rolled back and stored nothing; trying again later can succeed.
 * Looks through `cause`, since a caller may wrap the driver's error.
 */
export function isDatabaseBusy(err: unknown): boolean {
  for (let e = err, depth = 0; typeof e === 'object' && e !== null && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (/^SQLITE_(BUSY|LOCKED)(_|$)/.test(code) || code === '55P03'))
      return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
