import type { Executor } from '../context.ts';

/**
 * The address a running server says it is reached at, recorded in the database at each start, so
 * that an administrative command on the same database (`tabella member create`, which prints an
 * invitation link) uses it instead of guessing `http://localhost:8080` from its own settings.
 */
const KEY = 'instance.public-url';

export async function recordPublicUrl(db: Executor, url: string): Promise<void> {
  await db
    .insertInto('settings')
    .values({ key: KEY, value: url })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: url }))
    .execute();
}

export async function recordedPublicUrl(db: Executor): Promise<string | undefined> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', KEY).executeTakeFirst();
  return row?.value;
}
