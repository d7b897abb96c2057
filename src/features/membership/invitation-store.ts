import type { Selectable } from 'kysely';
import type { InvitationsTable, MembersTable } from '../../db/schema.ts';
import type { Executor } from '../context.ts';

/**
 * Invitation queries beyond looking one up by its secret (credential-store.ts). An invitee who
 * never joined is a member row with no password and no spent invitation; their open invitations
 * are the unspent ones. Access decisions are made by the services before calling these.
 */

type MemberRow = Selectable<MembersTable>;

/**
 * Whether the member ever joined: chose a password (setup, an application, an accepted invitation)
 * or spent an invitation. Whoever did is a member, never again an invitee.
 */
export async function hasJoined(db: Executor, member: MemberRow): Promise<boolean> {
  if (member.password_hash !== null) return true;
  const spent = await db
    .selectFrom('invitations')
    .select('id')
    .where('member_id', '=', member.id)
    .where('used_at', 'is not', null)
    .executeTakeFirst();
  return spent !== undefined;
}

/** The member's newest unspent invitation, expired or not. */
export async function openInvitationOf(
  db: Executor,
  memberId: string,
): Promise<Selectable<InvitationsTable> | undefined> {
  return db
    .selectFrom('invitations')
    .selectAll()
    .where('member_id', '=', memberId)
    .where('used_at', 'is', null)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

/** The newest unspent invitation of each never-joined member of an organization, by member id. */
export async function openInvitationsIn(
  db: Executor,
  orgId: string,
): Promise<Map<string, Pick<Selectable<InvitationsTable>, 'created_at' | 'expires_at'>>> {
  const rows = await db
    .selectFrom('invitations as i')
    .innerJoin('members as m', 'm.id', 'i.member_id')
    .select(['i.member_id', 'i.created_at', 'i.expires_at'])
    .where('m.org_id', '=', orgId)
    .where('m.password_hash', 'is', null)
    .where('i.used_at', 'is', null)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('invitations as spent')
            .select('spent.id')
            .whereRef('spent.member_id', '=', 'm.id')
            .where('spent.used_at', 'is not', null),
        ),
      ),
    )
    .orderBy('i.created_at')
    .orderBy('i.id')
    .execute();
  // Ordered oldest first, so the newest of a member's invitations is the one kept.
  return new Map(rows.map((r) => [r.member_id, { created_at: r.created_at, expires_at: r.expires_at }]));
}

/** Deletes the member's unspent invitations: their links stop working. Returns how many there were. */
export async function dropOpenInvitations(db: Executor, memberId: string): Promise<number> {
  const r = await db
    .deleteFrom('invitations')
    .where('member_id', '=', memberId)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Whether the member has API tokens (a CLI-made member can work through them without ever joining). */
export async function hasTokens(db: Executor, memberId: string): Promise<boolean> {
  const row = await db
    .selectFrom('api_tokens')
    .select('id')
    .where('member_id', '=', memberId)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Removes a never-joined invitee without tokens: their invitations, then the member row, which
 * nothing else can reference (they never signed in nor shared anything). Returns whether it went.
 */
export async function removeInvitee(db: Executor, memberId: string): Promise<boolean> {
  await db.deleteFrom('invitations').where('member_id', '=', memberId).execute();
  const r = await db
    .deleteFrom('members')
    .where('id', '=', memberId)
    .where('password_hash', 'is', null)
    .executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

/** Whether the organization has an active administrator. */
export async function hasActiveAdmin(db: Executor, orgId: string): Promise<boolean> {
  const row = await db
    .selectFrom('members')
    .select('id')
    .where('org_id', '=', orgId)
    .where('status', '=', 'active')
    .where('roles', 'like', '%"admin"%')
    .executeTakeFirst();
  return row !== undefined;
}
