import { type Kysely, sql } from 'kysely';

// Issue 11 §5: API tokens get scopes and an optional expiry. Tokens made before could do whatever
// their member could, so each existing token gets every scope (read, share, feeds, admin) and no
// expiry: it keeps exactly what it could do. `scopes` is a JSON array, as `members.roles` is.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('api_tokens')
    .addColumn('scopes', 'text', (c) => c.notNull().defaultTo('["read","share","feeds","admin"]'))
    .execute();
  await db.schema.alterTable('api_tokens').addColumn('expires_at', 'text').execute();
  // Written out too, so the value does not rest on the column default alone.
  await sql`update api_tokens set scopes = '["read","share","feeds","admin"]'`.execute(db);
}
