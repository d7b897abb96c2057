import { isoTime } from '../../core/clock.ts';
import { TabellaError } from '../../core/errors.ts';
import { randomSecret } from '../../core/ids.ts';
import { sha256Hex } from '../../core/secrets.ts';
import type { MemberActor } from '../../policy/index.ts';
import { recordAudit } from '../audit/record.ts';
import type { ServiceContext, Tx } from '../context.ts';
import { sessionActorOf } from './actor-from.ts';
import {
  type CredentialOwner,
  deleteSession,
  deleteSessionsOf,
  findSession,
  insertSession,
  touchSession,
} from './credential-store.ts';
import { type Member, type Organization, toMember, toOrganization } from './views.ts';

const ABSOLUTE_TTL_MS = 7 * 24 * 3600 * 1000;
/** Sliding expiry is written at most this often, so reads do not turn into writes. */
const TOUCH_INTERVAL_MS = 60_000;

export interface SessionView {
  readonly member: Member;
  readonly organization: Organization;
  readonly csrfToken: string;
  /** True for an administrator who has not enrolled MFA yet: everything else is refused until they do. */
  readonly mfaEnrollmentRequired: boolean;
}

export interface IssuedSession {
  /** The cookie value: shown to the browser only, stored as its SHA-256. */
  readonly secret: string;
  readonly view: SessionView;
}

export function needsMfaEnrollment(member: {
  readonly roles: string;
  readonly mfa_enabled: number;
}): boolean {
  return member.mfa_enabled !== 1 && member.roles.includes('"admin"');
}

/** Creates a session inside the caller's transaction (sign-in, setup, accepting an invitation). */
export async function issueSession(
  trx: Tx,
  ctx: Pick<ServiceContext, 'clock' | 'config' | 'actor'>,
  owner: CredentialOwner,
  mfaPassed: boolean,
): Promise<IssuedSession> {
  const secret = randomSecret();
  const csrfToken = randomSecret();
  const now = ctx.clock.now();
  const id = sha256Hex(secret);
  await insertSession(trx, {
    id,
    member_id: owner.member.id,
    csrf_token: csrfToken,
    mfa_passed: mfaPassed ? 1 : 0,
    created_at: isoTime(now),
    last_seen_at: isoTime(now),
    expires_at: isoTime(now + ctx.config.sessionTtlMs),
    absolute_expires_at: isoTime(now + ABSOLUTE_TTL_MS),
  });
  // The member who signed in is the actor of their own sign-in.
  const actor = sessionActorOf(owner);
  await recordAudit(
    trx,
    { clock: ctx.clock, actor },
    {
      action: 'session.create',
      subjectType: 'member',
      subjectId: owner.member.id,
      details: { mfa: mfaPassed },
    },
  );
  return {
    secret,
    view: {
      member: toMember(owner.member),
      organization: toOrganization(owner.org),
      csrfToken,
      mfaEnrollmentRequired: needsMfaEnrollment(owner.member),
    },
  };
}

export interface ResolvedSession {
  readonly sessionId: string;
  readonly actor: MemberActor;
  readonly view: SessionView;
}

/** Resolves a session cookie; expired, unknown or suspended sessions are refused. */
export async function resolveSession(ctx: ServiceContext, secret: string): Promise<ResolvedSession> {
  const id = sha256Hex(secret);
  const found = await findSession(ctx.db, id);
  if (found === undefined) throw new TabellaError('SESSION_EXPIRED', 'sign in again');
  const now = ctx.clock.now();
  const { session, member, org } = found;
  if (session.expires_at <= isoTime(now) || session.absolute_expires_at <= isoTime(now)) {
    await deleteSession(ctx.db, id);
    throw new TabellaError('SESSION_EXPIRED', 'sign in again');
  }
  const actor = sessionActorOf({ member, org });
  if (now - Date.parse(session.last_seen_at) > TOUCH_INTERVAL_MS) {
    await touchSession(ctx.db, id, isoTime(now), isoTime(now + ctx.config.sessionTtlMs));
  }
  return {
    sessionId: id,
    actor,
    view: {
      member: toMember(member),
      organization: toOrganization(org),
      csrfToken: session.csrf_token,
      mfaEnrollmentRequired: needsMfaEnrollment(member),
    },
  };
}

export async function signOut(ctx: ServiceContext, sessionId: string): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await deleteSession(trx, sessionId);
    if (ctx.actor.kind === 'member') {
      await recordAudit(trx, ctx, {
        action: 'session.delete',
        subjectType: 'member',
        subjectId: ctx.actor.memberId,
      });
    }
  });
}

/** Signs the actor out of every browser at once. */
export async function signOutEverywhere(ctx: ServiceContext): Promise<number> {
  const actor = ctx.actor;
  if (actor.kind !== 'member') throw new TabellaError('UNAUTHENTICATED', 'sign in first');
  return ctx.db.transaction().execute(async (trx) => {
    const n = await deleteSessionsOf(trx, actor.memberId);
    await recordAudit(trx, ctx, {
      action: 'session.delete_all',
      subjectType: 'member',
      subjectId: actor.memberId,
      details: { sessions: n },
    });
    return n;
  });
}
