import { isoTime } from '../../core/clock.ts';
import { TabellaError } from '../../core/errors.ts';
import { recordAudit } from '../audit/record.ts';
import type { ServiceContext } from '../context.ts';
import { deleteSessionsOf } from './credential-store.ts';
import { getMember, updateMember } from './member-store.ts';
import { assertAcceptablePassword, hashPassword, verifyPassword } from './password.ts';
import { beginSecretAttempt } from './secret-attempt.ts';

/**
 * Changes the actor's password; every other session of theirs ends. The current password is a
 * secret check like a sign-in: counted against the account (a wrong one can lock it) and the
 * client's address, and audited when wrong. The new password is judged first, so a weak one
 * costs no attempt and tells nothing about the current one.
 */
export async function changePassword(
  ctx: ServiceContext,
  input: { readonly currentPassword: string; readonly newPassword: string },
  keepSessionId?: string,
): Promise<void> {
  if (ctx.actor.kind !== 'member') throw new TabellaError('UNAUTHENTICATED', 'sign in first');
  const member = await getMember(ctx.db, ctx.actor.memberId);
  if (member === undefined) throw new TabellaError('UNAUTHENTICATED', 'sign in first');
  assertAcceptablePassword(input.newPassword, 'newPassword');
  const attempt = await beginSecretAttempt(ctx, member.id);
  if (!(await verifyPassword(input.currentPassword, member.password_hash))) {
    await attempt.failed('member.password.fail', 'current-password');
    throw new TabellaError('INVALID_CREDENTIALS', 'the current password is wrong', {
      fields: ['currentPassword'],
    });
  }
  const hash = await hashPassword(input.newPassword);
  await ctx.db.transaction().execute(async (trx) => {
    await updateMember(trx, member.id, { password_hash: hash, updated_at: isoTime(ctx.clock.now()) });
    await attempt.succeeded(trx);
    await deleteSessionsOf(trx, member.id, keepSessionId);
    await recordAudit(trx, ctx, { action: 'member.password', subjectType: 'member', subjectId: member.id });
  });
}
