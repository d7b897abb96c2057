import type { Selectable } from 'kysely';
import { TabellaError } from '../../core/errors.ts';
import type { MembersTable, OrganizationsTable } from '../../db/schema.ts';
import type { AccessTier, MemberActor, OrgRole, OrgStatus, TokenScope } from '../../policy/index.ts';
import { parseRoles } from './views.ts';

export interface ActorSource {
  readonly memberId: string;
  readonly memberStatus: string;
  readonly roles: string;
  readonly tier: number;
  readonly orgId: string;
  readonly orgStatus: string;
  readonly isOperator: number;
  readonly orgRole: string;
}

/**
 * Turns a credential's owner into an actor, refusing members who are suspended or whose
 * organization is suspended: their credentials stop working at once, whatever they are.
 */
export function actorFrom(
  src: ActorSource,
  via: 'session' | 'token',
  token?: { readonly id: string; readonly scopes: readonly TokenScope[] },
): MemberActor {
  if (src.memberStatus === 'suspended')
    throw new TabellaError('MEMBER_SUSPENDED', 'this member is suspended');
  if (src.orgStatus === 'suspended')
    throw new TabellaError('ORG_SUSPENDED', 'this organization is suspended');
  return {
    kind: 'member',
    memberId: src.memberId,
    orgId: src.orgId,
    orgStatus: src.orgStatus as OrgStatus,
    isOperatorOrg: src.isOperator === 1,
    orgRole: src.orgRole as OrgRole,
    roles: parseRoles(src.roles),
    tier: src.tier as AccessTier,
    via,
    ...(token === undefined ? {} : { tokenId: token.id, scopes: token.scopes }),
  };
}

/** `actorFrom` for a session of a member row and its organization row (sign-in, session checks). */
export function sessionActorOf(owner: {
  readonly member: Selectable<MembersTable>;
  readonly org: Selectable<OrganizationsTable>;
}): MemberActor {
  const { member, org } = owner;
  return actorFrom(
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
}
