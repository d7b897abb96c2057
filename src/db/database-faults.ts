import { TabellaError } from '../core/errors.ts';
import { isDatabaseBusy } from './busy.ts';
import { isUniqueViolation } from './unique-violation.ts';

/** SQLSTATEs of PostgreSQL's class 53, insufficient resources (PostgreSQL appendix A). */
const DISK_FULL = '53100';
const OUT_OF_MEMORY = '53200';
const TOO_MANY_CONNECTIONS = '53300';

/**
 * A database error that is not a fault of the request, as the coded error to answer: a full disk
 * is 503 STORAGE_FULL (SQLite `SQLITE_FULL`, "database or disk is full", also raised when
 * `max_page_count` is reached; PostgreSQL 53100 disk_full), exhausted memory or connections are
 * 503 SERVICE_UNAVAILABLE, a lock not had in time (SQLITE_BUSY not absorbed by the dialect's wait,
 * PostgreSQL 55P03) is 503 DATABASE_BUSY, and a unique violation no service mapped to its own code is 409
 * CONFLICT (a concurrent writer got there first). The database error is kept as `cause`, so the
 * server logs the real reason; `undefined` for anything else.
 */
export function databaseFault(err: unknown): TabellaError | undefined {
  if (typeof err !== 'object' || err === null || !('code' in err)) return undefined;
  const code = (err as { code: unknown }).code;
  if (code === 'SQLITE_FULL' || code === DISK_FULL)
    return new TabellaError('STORAGE_FULL', 'the database is out of disk space; nothing was written', {
      cause: err,
    });
  if (code === OUT_OF_MEMORY || code === TOO_MANY_CONNECTIONS || code === 'SQLITE_NOMEM')
    return new TabellaError('SERVICE_UNAVAILABLE', 'the database is out of resources; retry later', {
      cause: err,
    });
  if (isDatabaseBusy(err))
    return new TabellaError('DATABASE_BUSY', 'the database is busy with another writer; try again', {
      cause: err,
      headers: { 'retry-after': '5' },
    });
  if (isUniqueViolation(err))
    return new TabellaError('CONFLICT', 'a concurrent change got there first; retry', { cause: err });
  return undefined;
}
