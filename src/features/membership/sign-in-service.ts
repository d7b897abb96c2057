import { isoTime } from '../../core/clock.ts';
import { TabellaError } from '../../core/errors.ts';
import { recordAudit } from '../audit/record.ts';
import type { ServiceContext } from '../context.ts';
import { actorFrom } from './actor-from.ts';
import { getMemberByEmail, updateMember } from './member-store.ts';
import { unsafeGetOrg } from './org-store.ts';
import { verifyPassword } from './password.ts';
import { type IssuedSession, issueSession } from './session-service.ts';
import { verifyTotp } from './totp.ts';

/** Failures allowed before the account locks; each further failure doubles the lock. */
export const LOCKOUT_THRESHOLD = 5;
const LOCK_BASE_MS = 30_000;
const LOCK_MAX_MS = 3600_000;

export function lockDurationMs(failures: number): number {
  if (failures < LOCKOUT_THRESHOLD) return 0;
  return Math.min(LOCK_BASE_MS * 2 ** (failures - LOCKOUT_THRESHOLD), LOCK_MAX_MS);
}

export interface SignInInput {
  /** Attacker-controlled, as is everything below. */
  readonly email: string;
  readonly password: string;
  readonly totp?: string | undefined;
}

function invalidCredentials(): TabellaError {
  return new TabellaError('INVALID_CREDENTIALS', 'e-mail, password or code is wrong');
}

/**
 * Password sign-in, with TOTP when the member enrolled it (RFC 6238), and lockout with back-off
 * after repeated failures. Unknown e-mails cost the same scrypt work as known ones.
 */
export async function signIn(ctx: ServiceContext, input: SignInInput): Promise<IssuedSession> {
  const email = typeof input.email === 'string' ? input.email.trim().toLowerCase() : '';
  const member = await getMemberByEmail(ctx.db, email);
  const now = ctx.clock.now();
  if (member?.locked_until != null && member.locked_until > isoTime(now)) {
    const seconds = Math.ceil((Date.parse(member.locked_until) - now) / 1000);
    throw new TabellaError('ACCOUNT_LOCKED', 'too many failed attempts; try again later', {
      headers: { 'retry-after': String(seconds) },
    });
  }
  const passwordOk = await verifyPassword(input.password, member?.password_hash ?? null);
  if (member === undefined) throw invalidCredentials();

  const fail = async (reason: string): Promise<never> => {
    const failures = member.failed_logins + 1;
    const lockMs = lockDurationMs(failures);
    await ctx.db.transaction().execute(async (trx) => {
      await updateMember(trx, member.id, {
        failed_logins: failures,
        ...(lockMs > 0 ? { locked_until: isoTime(now + lockMs) } : {}),
      });
      await recordAudit(trx, ctx, {
        action: lockMs > 0 ? 'member.lockout' : 'session.fail',
        subjectType: 'member',
        subjectId: member.id,
        details: { reason, failures },
      });
    });
    throw invalidCredentials();
  };

  if (!passwordOk || member.status === 'invited') return fail('password');
  const org = await unsafeGetOrg(ctx.db, member.org_id);
  if (org === undefined) throw invalidCredentials();
  // Refuses suspended members and organizations with their own codes, only after a correct password.
  actorFrom(
    {
      memberId: member.id,
      memberStatus: member.status,
      roles: member.roles,
      tier: member.tier,
      orgId: org.id,
      orgStatus: org.status,
      isOperator: org.is_operator,
      orgRole: org.role,
    },
    'session',
  );

  let mfaStep: number | null = null;
  if (member.mfa_enabled === 1) {
    if (input.totp === undefined || input.totp === '') {
      throw new TabellaError('MFA_REQUIRED', 'enter the code from your authenticator app', {
        fields: ['totp'],
      });
    }
    mfaStep = verifyTotp(member.mfa_secret ?? '', input.totp, now, member.mfa_last_step);
    if (mfaStep === null) return fail('totp');
  }

  return ctx.db.transaction().execute(async (trx) => {
    await updateMember(trx, member.id, {
      failed_logins: 0,
      locked_until: null,
      ...(mfaStep === null ? {} : { mfa_last_step: mfaStep }),
    });
    return issueSession(trx, ctx, { member, org }, mfaStep !== null);
  });
}
