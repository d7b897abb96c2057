import type { Kysely } from 'kysely';

// Issue 10: failed secret checks (sign-in, current password, TOTP codes) per client address, kept
// in the database so every node sharing it enforces one budget. A row counts the attempts of one
// fixed window: those that failed plus those still being checked (see address-throttle.ts).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('auth_throttle')
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('window_start', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('auth_throttle_pk', ['scope', 'key'])
    .execute();
  await db.schema
    .createIndex('auth_throttle_window_idx')
    .on('auth_throttle')
    .column('window_start')
    .execute();
}
