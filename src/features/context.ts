import type { Kysely, Transaction } from 'kysely';
import type { Clock } from '../core/clock.ts';
import type { Config } from '../core/config.ts';
import type { Database } from '../db/index.ts';
import type { Actor } from '../policy/index.ts';

/**
 * What every feature service receives: `(ctx, input)`. The route (or the CLI) builds it from the
 * authenticated actor; services never read globals.
 */
export interface ServiceContext {
  readonly db: Kysely<Database>;
  readonly clock: Clock;
  readonly config: Config;
  readonly actor: Actor;
  /** The client address, for rate and lockout decisions and the audit record; never trusted for access. */
  readonly ip?: string | undefined;
}

export type Tx = Transaction<Database>;
export type Executor = Kysely<Database> | Tx;
