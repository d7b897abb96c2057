import { isoTime } from '../../core/clock.ts';
import { TabellaError } from '../../core/errors.ts';
import { recordAudit } from '../audit/record.ts';
import type { ServiceContext } from '../context.ts';
import { deleteSessionsOf } from './credential-store.ts';
import { getMember, updateMember } from './member-store.ts';
import { assertAcceptablePassword, hashPassword, verifyPassword } from './password.ts';

/** Changes the actor's password; every other session of theirs ends. */
export async function changePassword(
  ctx: ServiceContext,
  input: { readonly currentPassword: string; readonly newPassword: string },
  keepSessionId?: string,
): Promise<void> {
  if (ctx.actor.kind !== 'member') throw new TabellaError('UNAUTHENTICATED', 'sign in first');
  const member = await getMember(ctx.db, ctx.actor.memberId);
  if (member === undefined || !(await verifyPassword(input.currentPassword, member.password_hash))) {
    throw new TabellaError('INVALID_CREDENTIALS', 'the current password is wrong', {
      fields: ['currentPassword'],
    });
  }
  assertAcceptablePassword(input.newPassword, 'newPassword');
  const hash = await hashPassword(input.newPassword);
  await ctx.db.transaction().execute(async (trx) => {
    await updateMember(trx, member.id, { password_hash: hash, updated_at: isoTime(ctx.clock.now()) });
    await deleteSessionsOf(trx, member.id, keepSessionId);
    await recordAudit(trx, ctx, { action: 'member.password', subjectType: 'member', subjectId: member.id });
  });
}
