import type { Kysely } from 'kysely';

// Issue 11 §2: account recovery. Recovery codes (ten per member, single-use, stored as SHA-256
// digests) and one-time reset links an administrator issues for a member's password and/or MFA
// (stored as the SHA-256 of the link's secret).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('recovery_codes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('member_id', 'text', (c) => c.notNull().references('members.id'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
  await db.schema.createIndex('recovery_codes_member_idx').on('recovery_codes').column('member_id').execute();

  await db.schema
    .createTable('reset_links')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('member_id', 'text', (c) => c.notNull().references('members.id'))
    .addColumn('token_hash', 'text', (c) => c.notNull())
    .addColumn('reset_password', 'integer', (c) => c.notNull())
    .addColumn('reset_mfa', 'integer', (c) => c.notNull())
    .addColumn('revoke_tokens', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema
    .createIndex('reset_links_hash_uq')
    .on('reset_links')
    .column('token_hash')
    .unique()
    .execute();
  await db.schema.createIndex('reset_links_member_idx').on('reset_links').column('member_id').execute();
}
