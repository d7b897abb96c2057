// Arranging test data through the real membership services (as the CLI actor), so each test builds
import assert from 'node:assert/strict';
// its own organizations and members and stays hermetic. Only passwords cost scrypt work, so members
// get one only when a test signs them in; everyone else authenticates with an API token.
import { randomBytes } from 'node:crypto';
import type { Selectable } from 'kysely';
import { isoTime } from '../../src/core/clock.ts';
import type { Database } from '../../src/db/schema.ts';
import {
  acceptInvitation,
  completeSetup,
  createOrg,
  createToken,
  inviteMember,
  type Member,
  type Organization,
} from '../../src/features/membership/index.ts';
import type { Engine } from './databases.ts';
import { Client } from './json-client.ts';
import { startTestServer, type TestServer } from './server.ts';

export const PASSWORD = 'correct horse battery staple';

/**
 * Public entry points are rate limited per client address. Files that call them often start their
 * server after this, and use `anonymous(s)` clients, each at an address of its own.
 */
export function trustForwardedFor(): void {
  process.env.TABELLA_TRUST_PROXY = '1';
}

let addresses = 0;
/** An anonymous client at a fresh address (needs `trustForwardedFor()` before the server starts). */
export function anonymous(s: TestServer): Client {
  addresses += 1;
  return new Client(s.url).asClientAt(`198.51.${Math.floor(addresses / 250) % 250}.${(addresses % 250) + 1}`);
}

/** A name no other test uses. */
export function unique(label: string): string {
  return `${label}-${randomBytes(5).toString('hex')}`;
}

export function uniqueEmail(label = 'member'): string {
  return `${unique(label)}@example.org`;
}

export interface OrgOptions {
  readonly status?: 'pending' | 'vetted' | 'suspended';
  readonly role?: string;
  readonly kind?: string;
  readonly jurisdiction?: string | null;
  readonly name?: string;
}

export async function makeOrg(s: TestServer, o: OrgOptions = {}): Promise<Organization> {
  return createOrg(s.cli, {
    name: o.name ?? unique('County Board of Elections'),
    kind: o.kind ?? 'government',
    role: o.role ?? 'election-office',
    jurisdiction: o.jurisdiction === undefined ? 'US-NC' : o.jurisdiction,
    status: o.status ?? 'vetted',
  });
}

export interface Person {
  readonly member: Member;
  readonly email: string;
  /** Set when the member accepted their invitation with a password. */
  readonly password?: string;
}

export interface MemberOptions {
  readonly roles?: readonly string[];
  /**
   * Default 2, so that tests of what a recipient organization receives are not about tiers (tier-1
   * members do not read other organizations' TLP:RED and AMBER+STRICT); tier tests pass 1.
   */
  readonly tier?: 1 | 2;
  /** Accept the invitation with this password (costs scrypt); otherwise the member is activated directly. */
  readonly password?: string;
  /** Leave the member invited, with the invitation URL returned. */
  readonly invitedOnly?: boolean;
  readonly email?: string;
}

/** Invites a member through the service as the CLI, then activates them. */
export async function makeMember(
  s: TestServer,
  orgId: string,
  o: MemberOptions = {},
): Promise<Person & { readonly invitationUrl: string }> {
  const email = o.email ?? uniqueEmail();
  const invited = await inviteMember(s.cli, orgId, {
    email,
    displayName: 'Test Member',
    roles: o.roles ?? ['analyst'],
    tier: o.tier ?? 2,
  });
  if (o.invitedOnly === true) return { member: invited.member, email, invitationUrl: invited.invitationUrl };
  if (o.password !== undefined) {
    await acceptInvitation(
      { ...s.cli, actor: { kind: 'anonymous' } },
      invitationSecret(invited.invitationUrl),
      {
        password: o.password,
      },
    );
  } else {
    // No password needed: this member only ever uses API tokens. They joined all the same: their
    // invitation is spent, so a suspension and reactivation makes them active again, not invited.
    await s.db.kysely
      .updateTable('members')
      .set({ status: 'active' })
      .where('id', '=', invited.member.id)
      .execute();
    await s.db.kysely
      .updateTable('invitations')
      .set({ used_at: isoTime(s.clock.now()) })
      .where('member_id', '=', invited.member.id)
      .execute();
  }
  return {
    member: { ...invited.member, status: 'active' },
    email,
    invitationUrl: invited.invitationUrl,
    ...(o.password === undefined ? {} : { password: o.password }),
  };
}

export function invitationSecret(url: string): string {
  const secret = url.split('/').pop();
  if (secret === undefined || secret === '') throw new Error(`no secret in ${url}`);
  return secret;
}

/** A fresh API token for a member, created as the CLI does. */
export async function makeToken(s: TestServer, memberId: string): Promise<string> {
  return (await createToken(s.cli, { member: memberId, name: unique('test token') })).token;
}

/** A member with an API client authenticated by their own Bearer token. */
export async function memberWithToken(
  s: TestServer,
  orgId: string,
  o: MemberOptions = {},
): Promise<Person & { readonly api: Client; readonly token: string }> {
  const person = await makeMember(s, orgId, o);
  const token = await makeToken(s, person.member.id);
  return { ...person, token, api: new Client(s.url).withToken(token) };
}

const operators = new WeakMap<TestServer, Promise<string>>();

/** The operator organization's id; first-run setup runs once per server. */
export function operatorOrgId(s: TestServer): Promise<string> {
  let found = operators.get(s);
  if (found === undefined) {
    found = completeSetup(s.cli, {
      organization: { name: 'Operator ISAC', kind: 'nonprofit', jurisdiction: 'US-NC' },
      admin: { email: uniqueEmail('first-admin'), displayName: 'First Admin', password: PASSWORD },
    }).then((issued) => issued.view.organization.id);
    operators.set(s, found);
  }
  return found;
}

/**
 * A test server whose first-run setup is done, so the operator organization exists. Setup has to
 * come first: it is refused once any administrator exists.
 */
export async function startWithOperator(
  engine: Engine,
  env: Record<string, string> = {},
): Promise<TestServer> {
  const s = await startTestServer(engine, env);
  try {
    await operatorOrgId(s);
  } catch (err) {
    await s.close();
    throw err;
  }
  return s;
}

/** A new operator administrator (for vetting and suspending), using a Bearer token. */
export async function operatorAdmin(s: TestServer) {
  return memberWithToken(s, await operatorOrgId(s), { roles: ['admin'] });
}

/** A signed-in browser-like client (session cookie and CSRF token). */
export async function signedIn(s: TestServer, email: string, password: string = PASSWORD): Promise<Client> {
  const c = new Client(s.url);
  const r = await c.post('/api/v1/session', { email, password });
  if (r.status !== 200) throw new Error(`sign-in failed: ${r.status} ${JSON.stringify(r.body)}`);
  return c;
}

export async function countRows(s: TestServer, table: keyof Database): Promise<number> {
  const row = await s.db.kysely
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Row counts of every membership table, to prove a refused request changed nothing. */
export async function snapshot(s: TestServer): Promise<Record<string, number>> {
  const tables = [
    'organizations',
    'members',
    'sessions',
    'api_tokens',
    'invitations',
    'audit_events',
  ] as const;
  const out: Record<string, number> = {};
  for (const t of tables) out[t] = await countRows(s, t);
  return out;
}

/** An audit event as stored: every column. */
export type AuditRow = Selectable<Database['audit_events']>;

/** A way to ask "which audit events appeared since?" */
export async function auditMark(s: TestServer): Promise<() => Promise<AuditRow[]>> {
  const seen = new Set(
    (await s.db.kysely.selectFrom('audit_events').select('id').execute()).map((r) => r.id),
  );
  return async () => {
    const rows = await s.db.kysely
      .selectFrom('audit_events')
      .selectAll()
      .orderBy('at')
      .orderBy('id')
      .execute();
    return rows.filter((r) => !seen.has(r.id));
  };
}

/** The e-mail and password of a member who can sign in (non-admins need no MFA). */
export async function memberWithPassword(
  s: TestServer,
  orgId: string,
  roles: readonly string[] = ['analyst'],
) {
  return makeMember(s, orgId, { roles, password: PASSWORD });
}

/** Asserts a coded error reply: status, code, the documented shape and, when given, the fields. */
export function assertError(
  r: { readonly status: number; readonly body: unknown },
  status: number,
  code: string,
  fields?: readonly string[],
): void {
  const body = r.body as {
    statusCode?: unknown;
    code?: unknown;
    error?: unknown;
    message?: unknown;
    fields?: unknown;
  };
  const what = JSON.stringify(r.body);
  assert.equal(r.status, status, what);
  assert.equal(body.code, code, what);
  assert.equal(body.statusCode, status, what);
  assert.equal(typeof body.error, 'string', what);
  assert.equal(typeof body.message, 'string', what);
  if (fields !== undefined) assert.deepEqual(body.fields, fields, what);
}
