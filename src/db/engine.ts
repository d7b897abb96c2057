import { type Kysely, PostgresAdapter } from 'kysely';
import type { Engine } from './connect.ts';

/** Which engine a Kysely instance (or transaction) runs on, for the few statements that differ. */
// biome-ignore lint/suspicious/noExplicitAny: works for any schema
export function engineOf(db: Kysely<any>): Engine {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}
