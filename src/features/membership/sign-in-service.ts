import { isoTime } from '../../core/clock.ts';
import { TabellaError } from '../../core/errors.ts';
import { recordAudit } from '../audit/record.ts';
import type { ServiceContext } from '../context.ts';
import { sessionActorOf } from './actor-from.ts';
import { getMemberByEmail, spendTotpStep } from './member-store.ts';
import { unsafeGetOrg } from './org-store.ts';
import { verifyPassword } from './password.ts';
import { matchRecoveryCode } from './recovery-code.ts';
import { countUnspentRecoveryCodes, spendRecoveryCode, unspentRecoveryCodes } from './recovery-store.ts';
import { beginSecretAttempt } from './secret-attempt.ts';
import { type IssuedSession, issueSession } from './session-service.ts';
import { verifyTotp } from './totp.ts';

export interface SignInInput {
  /** Attacker-controlled, as is everything below. */
  readonly email: string;
  readonly password: string;
  readonly totp?: string | undefined;
  /** A recovery code, in place of `totp` when the authenticator is lost (issue 11). */
  readonly recoveryCode?: string | undefined;
}

const given = (v: string | undefined): v is string => typeof v === 'string' && v.trim() !== '';

function invalidCredentials(): TabellaError {
  return new TabellaError('INVALID_CREDENTIALS', 'e-mail, password or code is wrong');
}

/**
 * Password sign-in, with TOTP when the member enrolled it (RFC 6238), and lockout with back-off
 * after repeated failures. Unknown e-mails cost the same scrypt work as known ones. The attempt is
 * counted against the account and the client's address before the password is checked, and a
 * code's step is spent by compare-and-set, so parallel requests gain nothing over sequential ones.
 * A recovery code may stand in for the TOTP code: it is spent by compare-and-set too, and a wrong
 * one is a failed attempt like a wrong TOTP code.
 */
export async function signIn(ctx: ServiceContext, input: SignInInput): Promise<IssuedSession> {
  if (given(input.totp) && given(input.recoveryCode)) {
    throw new TabellaError('VALIDATION_FAILED', 'give a TOTP code or a recovery code, not both', {
      fields: ['recoveryCode'],
    });
  }
  const email = typeof input.email === 'string' ? input.email.trim().toLowerCase() : '';
  const member = await getMemberByEmail(ctx.db, email);
  const attempt = await beginSecretAttempt(ctx, member?.id);
  const passwordOk = await verifyPassword(input.password, member?.password_hash ?? null);
  const fail = async (reason: string): Promise<never> => {
    await attempt.failed('session.fail', reason);
    throw invalidCredentials();
  };
  if (member === undefined) return fail('unknown-email');
  if (!passwordOk || member.status === 'invited') return fail('password');

  const org = await unsafeGetOrg(ctx.db, member.org_id);
  if (org === undefined) return fail('password');
  try {
    // Refuses suspended members and organizations with their own codes, only after a correct password.
    sessionActorOf({ member, org });
  } catch (err) {
    await attempt.abandoned();
    throw err;
  }

  const mfa = member.mfa_enabled === 1;
  let recovered = false;
  if (mfa && given(input.recoveryCode)) {
    const id = matchRecoveryCode(input.recoveryCode, await unspentRecoveryCodes(ctx.db, member.id));
    // Of parallel sign-ins with one code, only the first to spend it goes on.
    if (id === undefined || !(await spendRecoveryCode(ctx.db, id, isoTime(ctx.clock.now())))) {
      return fail('recovery-code');
    }
    recovered = true;
  } else if (mfa) {
    if (input.totp === undefined || input.totp === '') {
      await attempt.abandoned();
      throw new TabellaError('MFA_REQUIRED', 'enter the code from your authenticator app', {
        fields: ['totp'],
      });
    }
    const step = verifyTotp(member.mfa_secret ?? '', input.totp, ctx.clock.now(), member.mfa_last_step);
    // Of parallel sign-ins with one code, only the first to spend its step goes on.
    if (step === null || !(await spendTotpStep(ctx.db, member.id, step))) return fail('totp');
  }

  return ctx.db.transaction().execute(async (trx) => {
    await attempt.succeeded(trx);
    const issued = await issueSession(trx, ctx, { member, org }, mfa);
    if (recovered) {
      await recordAudit(
        trx,
        { clock: ctx.clock, actor: sessionActorOf({ member, org }) },
        {
          action: 'member.recovery.use',
          subjectType: 'member',
          subjectId: member.id,
          details: { remaining: await countUnspentRecoveryCodes(trx, member.id) },
        },
      );
    }
    return issued;
  });
}
