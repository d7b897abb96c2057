import { isoTime } from '../../core/clock.ts';
import { forbidden, TabellaError } from '../../core/errors.ts';
import { uniquely } from '../../db/unique-violation.ts';
import { isOperatorAdmin } from '../../policy/index.ts';
import { recordAudit } from '../audit/record.ts';
import type { ServiceContext } from '../context.ts';
import { assertOrgNameFree, nameTaken } from './org-names.ts';
import { getOrg } from './org-service.ts';
import { takeRenameRequest, updateOrg } from './org-store.ts';
import type { Organization } from './views.ts';

/**
 * The operator's decision on a vetted organization's rename request (issue 11 §3). Only operator
 * admins (and the CLI) decide; the organization's own admins see their request but cannot approve
 * it. The request is taken in the decision's transaction, so of two decisions only one wins and
 * the other is `409 RENAME_NOT_PENDING`.
 */
async function decide(ctx: ServiceContext, id: string, approve: boolean): Promise<Organization> {
  const current = await getOrg(ctx, id);
  if (!isOperatorAdmin(ctx.actor)) throw forbidden('only operator administrators approve or reject renames');
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const request = await takeRenameRequest(trx, id);
    if (request === undefined)
      throw new TabellaError('RENAME_NOT_PENDING', 'this organization has no rename pending');
    if (approve) {
      // Checked again: another organization may have taken a look-alike name since the request.
      await assertOrgNameFree(trx, now, request.name, 'name', id);
      await uniquely(updateOrg(trx, id, { name: request.name, updated_at: isoTime(now) }), (cause) =>
        nameTaken('name', cause),
      );
    }
    await recordAudit(trx, ctx, {
      action: approve ? 'org.rename.approve' : 'org.rename.reject',
      subjectType: 'organization',
      subjectId: id,
      details: { requestedBy: request.requested_by, requestedAt: request.requested_at },
    });
    const { pendingRename: _, ...rest } = current;
    return approve ? { ...rest, name: request.name } : rest;
  });
}

export const approveRename = (ctx: ServiceContext, id: string) => decide(ctx, id, true);
export const rejectRename = (ctx: ServiceContext, id: string) => decide(ctx, id, false);
