import type { CompiledQuery, InferResult, Insertable, Selectable } from 'kysely';
import type {
  ApiTokensTable,
  InvitationsTable,
  MembersTable,
  OrganizationsTable,
  SessionsTable,
} from '../../db/schema.ts';
import type { Executor } from '../context.ts';

/**
 * Sessions, API tokens and invitations. Each is looked up by the SHA-256 of its secret; the
 * secrets themselves are never stored.
 */
export interface CredentialOwner {
  readonly member: Selectable<MembersTable>;
  readonly org: Selectable<OrganizationsTable>;
}

async function ownerOf(db: Executor, memberId: string): Promise<CredentialOwner | undefined> {
  const member = await db.selectFrom('members').selectAll().where('id', '=', memberId).executeTakeFirst();
  if (member === undefined) return undefined;
  const org = await db
    .selectFrom('organizations')
    .selectAll()
    .where('id', '=', member.org_id)
    .executeTakeFirst();
  return org === undefined ? undefined : { member, org };
}

export async function insertSession(db: Executor, row: Insertable<SessionsTable>): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

export async function findSession(
  db: Executor,
  id: string,
): Promise<(CredentialOwner & { session: Selectable<SessionsTable> }) | undefined> {
  const session = await db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
  if (session === undefined) return undefined;
  const owner = await ownerOf(db, session.member_id);
  return owner === undefined ? undefined : { ...owner, session };
}

export async function touchSession(
  db: Executor,
  id: string,
  lastSeenAt: string,
  expiresAt: string,
): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ last_seen_at: lastSeenAt, expires_at: expiresAt })
    .where('id', '=', id)
    .execute();
}

export async function markSessionMfaPassed(db: Executor, id: string): Promise<void> {
  await db.updateTable('sessions').set({ mfa_passed: 1 }).where('id', '=', id).execute();
}

export async function deleteSession(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

/** Deletes every session of a member, optionally keeping one; returns how many were removed. */
export async function deleteSessionsOf(db: Executor, memberId: string, keepId?: string): Promise<number> {
  let q = db.deleteFrom('sessions').where('member_id', '=', memberId);
  if (keepId !== undefined) q = q.where('id', '!=', keepId);
  const result = await q.executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function insertToken(db: Executor, row: Insertable<ApiTokensTable>): Promise<void> {
  await db.insertInto('api_tokens').values(row).execute();
}

function activeTokenQuery(db: Executor, tokenHash: string) {
  return db
    .selectFrom('api_tokens as t')
    .innerJoin('members as m', 'm.id', 't.member_id')
    .innerJoin('organizations as o', 'o.id', 'm.org_id')
    .select([
      't.id as token_id',
      't.last_used_at',
      't.scopes',
      't.expires_at',
      'm.id as member_id',
      'm.email',
      'm.display_name',
      'm.roles',
      'm.tier',
      'm.status as member_status',
      'm.mfa_enabled',
      'm.created_at as member_created_at',
      'o.id as org_id',
      'o.name as org_name',
      'o.kind as org_kind',
      'o.role as org_role',
      'o.jurisdiction as org_jurisdiction',
      'o.status as org_status',
      'o.is_operator',
      'o.created_at as org_created_at',
    ])
    .where('t.token_hash', '=', tokenHash)
    .where('t.revoked_at', 'is', null);
}

type ActiveTokenRow = InferResult<ReturnType<typeof activeTokenQuery>>[number];
const compiledTokenQuery = new WeakMap<Executor, CompiledQuery<ActiveTokenRow>>();

/**
 * One indexed join per authenticated API request: token, its member, their organization.
 * This is the hottest query of the API, so it is compiled once per database handle and run with
 * the digest as its only parameter (building a Kysely query costs more than SQLite running it).
 */
export async function findActiveToken(db: Executor, tokenHash: string): Promise<ActiveTokenRow | undefined> {
  let compiled = compiledTokenQuery.get(db);
  if (compiled === undefined) {
    compiled = activeTokenQuery(db, '').compile();
    compiledTokenQuery.set(db, compiled);
  }
  const result = await db.executeQuery<ActiveTokenRow>({ ...compiled, parameters: [tokenHash] });
  return result.rows[0];
}

export async function touchToken(db: Executor, id: string, at: string): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
}

export async function listTokensOf(db: Executor, memberId: string): Promise<Selectable<ApiTokensTable>[]> {
  return db
    .selectFrom('api_tokens')
    .selectAll()
    .where('member_id', '=', memberId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
}

export async function getToken(db: Executor, id: string): Promise<Selectable<ApiTokensTable> | undefined> {
  return db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function revokeToken(db: Executor, id: string, at: string): Promise<void> {
  await db.updateTable('api_tokens').set({ revoked_at: at }).where('id', '=', id).execute();
}

/** Revokes every live API token of a member; returns how many. */
export async function revokeTokensOf(db: Executor, memberId: string, at: string): Promise<number> {
  const r = await db
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('member_id', '=', memberId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function insertInvitation(db: Executor, row: Insertable<InvitationsTable>): Promise<void> {
  await db.insertInto('invitations').values(row).execute();
}

export async function findInvitation(
  db: Executor,
  tokenHash: string,
): Promise<(CredentialOwner & { invitation: Selectable<InvitationsTable> }) | undefined> {
  const invitation = await db
    .selectFrom('invitations')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (invitation === undefined) return undefined;
  const owner = await ownerOf(db, invitation.member_id);
  return owner === undefined ? undefined : { ...owner, invitation };
}

export async function spendInvitation(db: Executor, id: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('invitations')
    .set({ used_at: at })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
