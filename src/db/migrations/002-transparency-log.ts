import type { Kysely } from 'kysely';

// Issue 5: the transparency log. Binary values (hashes, tiles, bundles) are stored as base64 text
// so the one migration serves SQLite and PostgreSQL.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('audit_events').addColumn('log_index', 'integer').execute();
  await db.schema.alterTable('audit_events').addColumn('salt', 'text').execute();
  // The organization the subject belongs to, so an organization's admins see what was done to it.
  await db.schema.alterTable('audit_events').addColumn('subject_org_id', 'text').execute();
  await db.schema
    .createIndex('audit_events_subject_org_idx')
    .on('audit_events')
    .columns(['subject_org_id', 'at'])
    .execute();
  await db.schema
    .createIndex('audit_events_actor_org_idx')
    .on('audit_events')
    .columns(['actor_org_id', 'at'])
    .execute();
  // The sequencer scans events without a log index in recording order.
  await db.schema
    .createIndex('audit_events_sequencing_idx')
    .on('audit_events')
    .columns(['log_index', 'at', 'id'])
    .execute();

  await db.schema
    .createTable('log_state')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('root', 'text', (c) => c.notNull())
    .addColumn('checkpoint', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  // One row per tile position; a partial tile grows in place (a narrower partial tile is a prefix).
  await db.schema
    .createTable('log_tiles')
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('idx', 'integer', (c) => c.notNull())
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('log_tiles_pk', ['level', 'idx'])
    .execute();

  await db.schema
    .createTable('log_bundles')
    .addColumn('idx', 'integer', (c) => c.primaryKey())
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('log_checkpoints')
    .addColumn('size', 'integer', (c) => c.primaryKey())
    .addColumn('root', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('log_witnesses')
    .addColumn('key_id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('vkey', 'text', (c) => c.notNull())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  // The latest cosignature of each witness: the checkpoint size it signed and the signature line.
  await db.schema
    .createTable('log_cosignatures')
    .addColumn('key_id', 'text', (c) => c.notNull().references('log_witnesses.key_id'))
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('signature', 'text', (c) => c.notNull())
    .addColumn('signed_at', 'integer', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('log_cosignatures_pk', ['key_id', 'size'])
    .execute();
}
