import type { Kysely } from 'kysely';

// Issue 11 §6: one log identity per database. The transparency log's origin and the verifier key
// of the key that signs it (public: `name+keyid+base64(0x01 || public key)`, C2SP signed-note) are
// recorded once, by the first node that starts; every other node must sign with the same key. A
// database whose log predates this has no row until its first node starts: that node records its
// key after checking it signed the latest stored checkpoint (features/transparency/log-identity.ts).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('log_identity')
    // Always 1: one log per database.
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('vkey', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .execute();
}
