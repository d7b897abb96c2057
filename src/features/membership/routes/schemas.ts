import { Type } from 'typebox';
import {
  ACCESS_TIERS,
  MEMBER_ROLES,
  MEMBER_STATUSES,
  ORG_KINDS,
  ORG_ROLES,
  ORG_STATUSES,
  TOKEN_SCOPES,
} from '../../../policy/index.ts';

/** Wire schemas of membership (docs/api.md). Request bodies reject unknown fields. */

export const OrgKindSchema = Type.Enum([...ORG_KINDS]);
export const OrgRoleSchema = Type.Enum([...ORG_ROLES]);
export const OrgStatusSchema = Type.Enum([...ORG_STATUSES]);
export const MemberRoleSchema = Type.Enum([...MEMBER_ROLES]);
export const TierSchema = Type.Enum([...ACCESS_TIERS]);
export const TokenScopeSchema = Type.Enum([...TOKEN_SCOPES]);

const Name = Type.String({ minLength: 1, maxLength: 200 });
const Email = Type.String({ minLength: 3, maxLength: 254 });
const Password = Type.String({ minLength: 1, maxLength: 1024 });
const Jurisdiction = Type.Union([Type.String({ maxLength: 10 }), Type.Null()]);

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });

export const Organization = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: OrgKindSchema,
  role: OrgRoleSchema,
  jurisdiction: Type.Union([Type.String(), Type.Null()]),
  status: OrgStatusSchema,
  isOperator: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  pendingRename: Type.Optional(
    Type.Object(
      { name: Type.String(), requestedAt: Type.String({ format: 'date-time' }) },
      {
        description:
          "A rename waiting for an operator admin's approval; shown to the organization and the operator's admins",
      },
    ),
  ),
});

export const Member = Type.Object({
  id: Type.String(),
  orgId: Type.String(),
  email: Type.String(),
  displayName: Type.String(),
  roles: Type.Array(MemberRoleSchema),
  tier: TierSchema,
  status: Type.Enum([...MEMBER_STATUSES]),
  mfaEnabled: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  invitation: Type.Optional(
    Type.Object({
      createdAt: Type.String({ format: 'date-time' }),
      expiresAt: Type.String({ format: 'date-time' }),
      expired: Type.Boolean(),
    }),
  ),
});

export const TokenView = Type.Object({
  id: Type.String(),
  memberId: Type.String(),
  name: Type.String(),
  prefix: Type.String(),
  createdAt: Type.String(),
  lastUsedAt: Type.Union([Type.String(), Type.Null()]),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
  scopes: Type.Array(TokenScopeSchema),
  expiresAt: Type.Union([Type.String(), Type.Null()]),
});

export const Session = Type.Object({
  member: Member,
  organization: Organization,
  csrfToken: Type.String(),
  mfaEnrollmentRequired: Type.Boolean(),
});

export const OrgCreateBody = Type.Object(
  {
    name: Name,
    kind: OrgKindSchema,
    role: OrgRoleSchema,
    jurisdiction: Type.Optional(Jurisdiction),
    status: Type.Optional(OrgStatusSchema),
  },
  { additionalProperties: false },
);

export const OrgPatchBody = Type.Object(
  {
    name: Type.Optional(Name),
    jurisdiction: Type.Optional(Jurisdiction),
    status: Type.Optional(OrgStatusSchema),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const Person = Type.Object(
  { email: Email, displayName: Name, password: Password },
  { additionalProperties: false },
);

export const SetupBody = Type.Object(
  {
    setupCode: Type.String({
      minLength: 1,
      maxLength: 64,
      description:
        'The one-time setup code the server printed at first start (also in <data dir>/setup-code)',
    }),
    organization: Type.Object(
      { name: Name, kind: OrgKindSchema, jurisdiction: Type.Optional(Jurisdiction) },
      { additionalProperties: false },
    ),
    admin: Person,
  },
  { additionalProperties: false },
);

export const ApplicationBody = Type.Object(
  {
    organization: Type.Object(
      { name: Name, kind: OrgKindSchema, role: OrgRoleSchema, jurisdiction: Type.Optional(Jurisdiction) },
      { additionalProperties: false },
    ),
    applicant: Person,
  },
  { additionalProperties: false },
);

export const InviteBody = Type.Object(
  {
    email: Email,
    displayName: Type.Optional(Name),
    roles: Type.Array(MemberRoleSchema, { minItems: 1, maxItems: 5, uniqueItems: true }),
    tier: Type.Optional(TierSchema),
  },
  { additionalProperties: false },
);

export const MemberPatchBody = Type.Object(
  {
    roles: Type.Optional(Type.Array(MemberRoleSchema, { minItems: 1, maxItems: 5, uniqueItems: true })),
    tier: Type.Optional(TierSchema),
    status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('suspended')])),
    displayName: Type.Optional(Name),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const SignInBody = Type.Object(
  {
    email: Email,
    password: Password,
    totp: Type.Optional(Type.String({ maxLength: 12 })),
    recoveryCode: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
);

export const CodeBody = Type.Object(
  { code: Type.String({ minLength: 1, maxLength: 12 }) },
  { additionalProperties: false },
);

export const PasswordBody = Type.Object(
  { currentPassword: Password, newPassword: Password },
  { additionalProperties: false },
);

export const RecoveryCodesBody = Type.Object(
  { currentPassword: Password, code: Type.String({ minLength: 1, maxLength: 12 }) },
  { additionalProperties: false },
);

export const ResetIssueBody = Type.Object(
  {
    password: Type.Optional(Type.Boolean()),
    mfa: Type.Optional(Type.Boolean()),
    revokeTokens: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const ResetBody = Type.Object({ password: Type.Optional(Password) }, { additionalProperties: false });

export const AcceptBody = Type.Object(
  { password: Password, displayName: Type.Optional(Name) },
  { additionalProperties: false },
);

export const TokenCreateBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    scopes: Type.Optional(
      Type.Array(TokenScopeSchema, {
        minItems: 1,
        maxItems: TOKEN_SCOPES.length,
        uniqueItems: true,
        description:
          'What the token may be used for (docs/api.md "Token scopes"); default: all four, as tokens before scopes. Use feeds alone for a device URL.',
      }),
    ),
    expiresAt: Type.Optional(
      Type.String({
        maxLength: 40,
        description:
          'RFC 3339 date-time in the future; after it the token is refused like a revoked one. Default: never.',
      }),
    ),
  },
  { additionalProperties: false },
);

export const ItemsOf = <T extends ReturnType<typeof Type.Object>>(item: T) =>
  Type.Object({ items: Type.Array(item) });
