import { type Kysely, sql } from 'kysely';

// Issue 9: the public log entry names the actor's sector (organization kind and role) instead of
// the actor. It is stored on the event when recorded — what the organization was at that time —
// so the sequencer needs no join and a receipt carries everything its entry is made from.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('audit_events').addColumn('actor_org_kind', 'text').execute();
  await db.schema.alterTable('audit_events').addColumn('actor_org_role', 'text').execute();
  // Events recorded before this migration and not yet sequenced get a version-2 entry too: give
  // them their organization's sector (kind and role never change once an organization exists).
  await sql`update audit_events
    set actor_org_kind = (select o.kind from organizations o where o.id = audit_events.actor_org_id),
        actor_org_role = (select o.role from organizations o where o.id = audit_events.actor_org_id)
    where log_index is null and actor_org_id is not null`.execute(db);
}
