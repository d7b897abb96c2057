import type { TabellaError } from '../core/errors.ts';

/**
 * Whether a database error is a unique-constraint violation (a concurrent writer got there first):
 * SQLite's SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY, PostgreSQL's SQLSTATE 23505.
 */
export function isUniqueViolation(err: unknown): boolean {
  if (typeof err !== 'object' || err === null || !('code' in err)) return false;
  const code = (err as { code: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/**
 * Runs a write whose uniqueness the caller checked first, and answers a unique violation with the
 * coded error that check gives. The check alone is a race: on PostgreSQL two transactions both
 * find the name free and the unique index refuses the second insert (issue 10 §5: 99 of 180
 * concurrent same-name organizations answered 500). The violation aborts the transaction, so the
 * error must be thrown out of it, never swallowed.
 *
 * @example
 * await uniquely(insertOrg(trx, row), (cause) => new TabellaError('ORG_NAME_TAKEN', '…', { cause }));
 */
export async function uniquely<T>(write: Promise<T>, coded: (cause: unknown) => TabellaError): Promise<T> {
  try {
    return await write;
  } catch (err) {
    if (isUniqueViolation(err)) throw coded(err);
    throw err;
  }
}
