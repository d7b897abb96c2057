import { isoTime } from '../../core/clock.ts';
import { TabellaError } from '../../core/errors.ts';
import { canRelay, type Distribution } from '../../policy/index.ts';
import { recordAudit } from '../audit/record.ts';
import type { ServiceContext } from '../context.ts';
import { lockDateOrder, markDeleted } from './intel-store.ts';
import { getObject } from './read-service.ts';
import { nextDateAdded, requireTimestamp } from './timestamps.ts';
import { presentedSql } from './visibility-sql.ts';

function actorOrg(ctx: ServiceContext): string {
  if (ctx.actor.kind !== 'member') throw new TabellaError('UNAUTHENTICATED', 'sign in first');
  return ctx.actor.orgId;
}

/**
 * Deletes the actor's own object: every version, or the one `version` names (TAXII 2.1 §5.5).
 * Someone else's object — visible or not — is not found.
 */
export async function deleteObject(ctx: ServiceContext, stixId: string, version?: string): Promise<number> {
  const orgId = actorOrg(ctx);
  const key = version === undefined ? undefined : requireTimestamp(version, 'match[version]');
  return ctx.db.transaction().execute(async (trx) => {
    const n = await markDeleted(trx, orgId, stixId, key, isoTime(ctx.clock.now()));
    if (n === 0) throw new TabellaError('NOT_FOUND', 'object not found');
    await recordAudit(trx, ctx, {
      action: 'intel.delete',
      subjectType: 'intel',
      subjectId: stixId,
      subjectOrgId: orgId,
      details: { versions: n, version: version ?? null },
    });
    return n;
  });
}

/**
 * A recipient relays an object it can see into one of its sharing groups. The reach can only
 * narrow: the group's members see it only where the visibility rule already lets them.
 */
export async function relayObject(ctx: ServiceContext, stixId: string, target: Distribution): Promise<void> {
  const orgId = actorOrg(ctx);
  const version = await getObject(ctx, stixId);
  if (version.ownerOrgId === orgId)
    throw new TabellaError('CONFLICT', 'share your own objects directly; relays are for recipients');
  if (target.kind !== 'group' || !canRelay(version.tlp, version.distribution, target.kind)) {
    throw new TabellaError(
      'FORBIDDEN',
      `TLP:${version.tlp.toUpperCase()} with ${version.distribution} distribution cannot be relayed that way`,
    );
  }
  const member = await ctx.db
    .selectFrom('sharing_group_members')
    .select('group_id')
    .where('group_id', '=', target.groupId)
    .where('org_id', '=', orgId)
    .executeTakeFirst();
  if (member === undefined) throw new TabellaError('NOT_FOUND', 'sharing group not found');
  await ctx.db.transaction().execute(async (trx) => {
    const after = await lockDateOrder(trx);
    const inserted = await trx
      .insertInto('intel_relays')
      .values({
        stix_id: stixId,
        group_id: target.groupId,
        relayer_org_id: orgId,
        created_at: isoTime(ctx.clock.now()),
      })
      .onConflict((oc) => oc.columns(['stix_id', 'group_id']).doNothing())
      .returning('stix_id')
      .execute();
    // The relay adds the object to the group's collection now: there its versions are dated now,
    // in commit order, so a poller of the group resuming from the last date it saw finds them
    // (TAXII 2.1 §3.4.1; docs/taxii.md "Polling"). Versions shared to the group directly keep theirs.
    if (inserted.length > 0) {
      const rows = await trx
        .selectFrom('intel_objects')
        .select('row_id')
        .where('stix_id', '=', stixId)
        .where((eb) => eb.or([eb('group_id', 'is', null), eb('group_id', '!=', target.groupId)]))
        .orderBy('date_added')
        .orderBy('row_id')
        .execute();
      const now = ctx.clock.now();
      for (const { row_id } of rows)
        await trx
          .insertInto('intel_relay_rows')
          .values({ row_id, group_id: target.groupId, date_added: nextDateAdded(now, after) })
          .execute();
    }
    await recordAudit(trx, ctx, {
      action: 'intel.relay',
      subjectType: 'intel',
      subjectId: stixId,
      details: { groupId: target.groupId },
    });
  });
}

/** Whether an object is visible to the actor, without loading it: for authorization of other reads. */
export async function isVisible(ctx: ServiceContext, stixId: string): Promise<boolean> {
  const row = await ctx.db
    .selectFrom('intel_objects as o')
    .select('o.row_id')
    .where('o.stix_id', '=', stixId)
    .where(presentedSql(ctx.actor))
    .executeTakeFirst();
  return row !== undefined;
}
