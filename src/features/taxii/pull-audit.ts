import { recordAudit } from '../audit/record.ts';
import type { ServiceContext } from '../context.ts';
import type { TaxiiCollection } from './collections.ts';

/**
 * A TAXII pull of objects is an audited read (DESIGN.md capability 7): who pulled how many objects
 * from which collection. Anonymous pulls of the Public collection are not recorded: that content
 * is public by definition, and recording it would let anyone grow the log at will.
 */
export async function recordPull(
  ctx: ServiceContext,
  collection: TaxiiCollection,
  endpoint: 'objects' | 'object',
  count: number,
): Promise<void> {
  if (ctx.actor.kind !== 'member') return;
  await ctx.db.transaction().execute(async (trx) => {
    await recordAudit(trx, ctx, {
      action: 'taxii.pull',
      subjectType: 'intel',
      subjectId: collection.id,
      subjectOrgId: ctx.actor.kind === 'member' ? ctx.actor.orgId : null,
      details: { collection: collection.ref.kind, endpoint, count },
    });
  });
}
