import { systemClock } from '../core/clock.ts';
import { type Config, loadConfig } from '../core/config.ts';
import { isTabellaError, TabellaError } from '../core/errors.ts';
import { isDatabaseBusy } from '../db/busy.ts';
import { type Db, openDatabase } from '../db/index.ts';
import type { ServiceContext } from '../features/context.ts';
import { recordedPublicUrl } from '../features/membership/index.ts';

export interface DbFlags {
  readonly db?: string;
  readonly dataDir?: string;
}

/**
 * Administrative commands act on the configured database directly, as the actor `cli` — the
 * same database `tabella serve` uses with the same flags or environment. Links they print use
 * `TABELLA_PUBLIC_URL` when set, else the address the server recorded in the database when it
 * last started, else the default (with a note on stderr that it is a guess).
 */
export async function withCliContext<T>(
  flags: DbFlags,
  run: (ctx: ServiceContext, db: Db) => Promise<T>,
): Promise<T> {
  let config: Config = loadConfig({ db: flags.db, dataDir: flags.dataDir });
  // One command at a time: the writer thread the server uses would only cost start-up time.
  const db = await openDatabase(config.db, { sqliteWriter: 'inline' });
  try {
    if (!config.publicUrlSet) {
      const recorded = await recordedPublicUrl(db.kysely);
      // Known now, though not from the environment: `publicUrlSet` false is left for a guess.
      if (recorded !== undefined) config = { ...config, publicUrl: recorded, publicUrlSet: true };
    }
    return await run({ db: db.kysely, clock: systemClock, config, actor: { kind: 'cli' } }, db);
  } finally {
    await db.close();
  }
}

/**
 * The coded error a failure is reported as: Tabella's own, or a database that stayed locked by
 * another process (SQLite's `database is locked`) as DATABASE_BUSY — never VALIDATION_FAILED, since
 * nothing is wrong with the input. Anything else has no code.
 */
export function codedError(err: unknown): TabellaError | undefined {
  if (isTabellaError(err)) return err;
  if (isDatabaseBusy(err))
    return new TabellaError(
      'DATABASE_BUSY',
      'another process held the database write lock for too long; nothing of the refused write was stored, try again',
      { cause: err },
    );
  return undefined;
}

/** Prints a coded error and sets a failing exit code; never a stack trace for expected errors. */
export function reportError(err: unknown): void {
  const coded = codedError(err);
  if (coded !== undefined) {
    const fields = coded.fields === undefined ? '' : ` (${coded.fields.join(', ')})`;
    process.stderr.write(`error ${coded.code}: ${coded.message}${fields}\n`);
    process.exitCode = 1;
    return;
  }
  process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}

/** Runs a command action, turning failures into a message and exit code 1. */
export function action<A extends unknown[]>(
  fn: (...args: A) => Promise<void>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (err) {
      reportError(err);
    }
  };
}

/** Says on stderr when a printed link's address is the default, not one the instance is known by. */
export function noteGuessedPublicUrl(config: Config): void {
  if (config.publicUrlSet) return;
  process.stderr.write(
    `note: the link assumes ${config.publicUrl}; set TABELLA_PUBLIC_URL, or start the server once on this database, for the address people reach it at\n`,
  );
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}
