import type { Selectable } from 'kysely';
import type { LogIdentityTable } from '../../db/schema.ts';
import type { Executor } from '../context.ts';

/** The log identity recorded in this database (issue 11 §6), if any node recorded one yet. */
export async function getLogIdentity(db: Executor): Promise<Selectable<LogIdentityTable> | undefined> {
  return db.selectFrom('log_identity').selectAll().where('id', '=', 1).executeTakeFirst();
}

/** Records the identity unless a node did already (then the caller reads whose it is). */
export async function recordLogIdentity(
  db: Executor,
  row: { origin: string; vkey: string; recorded_at: string },
): Promise<void> {
  await db
    .insertInto('log_identity')
    .values({ id: 1, ...row })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}
