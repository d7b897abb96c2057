import { isoTime } from '../../core/clock.ts';
import type { AccessTier, MemberRole, OrgKind, OrgRole } from '../../policy/index.ts';
import { recordAudit } from '../audit/record.ts';
import type { ServiceContext } from '../context.ts';
import { writeNewMember } from './member-service.ts';
import { operatorAdminExists, updateMember } from './member-store.ts';
import { lockFirstRun } from './onboarding-service.ts';
import { writeNewOrg } from './org-service.ts';
import { hashPassword } from './password.ts';
import { removeLocalSetupCode, spendSetupCode } from './setup-code.ts';
import { newTotpSecret } from './totp.ts';

/** The demo partnership's shared password; printed at start, never for production use. */
export const DEMO_PASSWORD = 'tabella-demo-2026';

interface DemoOrg {
  readonly name: string;
  readonly kind: OrgKind;
  readonly role: OrgRole;
  readonly jurisdiction: string;
  readonly operator?: boolean;
  readonly members: readonly {
    email: string;
    name: string;
    roles: readonly MemberRole[];
    tier: AccessTier;
  }[];
}

const DEMO: readonly DemoOrg[] = [
  {
    name: 'North Carolina Election Security ISAC',
    kind: 'nonprofit',
    role: 'isac-operator',
    jurisdiction: 'US-NC',
    operator: true,
    members: [
      { email: 'dana.reyes@nc-eisac.example', name: 'Dana Reyes', roles: ['admin', 'analyst'], tier: 2 },
      { email: 'sam.okafor@nc-eisac.example', name: 'Sam Okafor', roles: ['analyst', 'responder'], tier: 2 },
    ],
  },
  {
    name: 'Wake County Board of Elections',
    kind: 'government',
    role: 'election-office',
    jurisdiction: 'US-NC',
    members: [
      { email: 'lee.tran@wake.example', name: 'Lee Tran', roles: ['admin', 'official'], tier: 1 },
      { email: 'pat.morgan@wake.example', name: 'Pat Morgan', roles: ['official'], tier: 1 },
    ],
  },
  {
    name: 'Durham County Board of Elections',
    kind: 'government',
    role: 'election-office',
    jurisdiction: 'US-NC',
    members: [{ email: 'alex.kim@durham.example', name: 'Alex Kim', roles: ['admin', 'official'], tier: 1 }],
  },
  {
    name: 'Buncombe County Board of Elections',
    kind: 'government',
    role: 'election-office',
    jurisdiction: 'US-NC',
    members: [
      { email: 'jo.barnes@buncombe.example', name: 'Jo Barnes', roles: ['admin', 'official'], tier: 1 },
    ],
  },
  {
    name: 'NC Department of Information Technology — Cybersecurity',
    kind: 'government',
    role: 'cyber-agency',
    jurisdiction: 'US-NC',
    members: [
      { email: 'morgan.ellis@nc-dit.example', name: 'Morgan Ellis', roles: ['admin', 'responder'], tier: 2 },
      { email: 'chris.patel@nc-dit.example', name: 'Chris Patel', roles: ['analyst'], tier: 2 },
    ],
  },
  {
    name: 'Ballotline E-Pollbooks Inc.',
    kind: 'private',
    role: 'vendor',
    jurisdiction: 'US',
    members: [
      { email: 'ria.santos@ballotline.example', name: 'Ria Santos', roles: ['admin', 'responder'], tier: 1 },
    ],
  },
  {
    name: 'Piedmont Threat Labs',
    kind: 'private',
    role: 'security-firm',
    jurisdiction: 'US-NC',
    members: [
      {
        email: 'noah.wright@piedmontlabs.example',
        name: 'Noah Wright',
        roles: ['admin', 'analyst'],
        tier: 2,
      },
    ],
  },
  {
    name: 'Chirp Social Trust & Safety',
    kind: 'private',
    role: 'platform',
    jurisdiction: 'US',
    members: [{ email: 'ava.chen@chirp.example', name: 'Ava Chen', roles: ['admin', 'analyst'], tier: 1 }],
  },
  {
    name: 'NC Election Integrity Oversight Board',
    kind: 'government',
    role: 'oversight',
    jurisdiction: 'US-NC',
    members: [
      { email: 'ruth.hale@oversight.example', name: 'Ruth Hale', roles: ['admin', 'auditor'], tier: 2 },
    ],
  },
];

export interface DemoSignIn {
  readonly organization: string;
  readonly email: string;
  readonly roles: readonly MemberRole[];
  /** Base32 TOTP secret for members with MFA (every admin); add it to an authenticator app. */
  readonly totpSecret: string | null;
}

/**
 * Seeds a believable partnership (issue 2) into an empty instance. Returns the sign-ins, or
 * `null` when the instance already has an administrator and nothing was written.
 */
export async function seedDemo(
  ctx: ServiceContext,
): Promise<{ password: string; signIns: DemoSignIn[] } | null> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const now = ctx.clock.now();
  const seeded = await ctx.db.transaction().execute(async (trx) => {
    await lockFirstRun(trx, now);
    if (await operatorAdminExists(trx)) return null;
    // The demo is a first run too: the setup code is spent with it.
    await spendSetupCode(trx);
    const signIns: DemoSignIn[] = [];
    for (const o of DEMO) {
      const org = await writeNewOrg(
        trx,
        now,
        { name: o.name, kind: o.kind, role: o.role, jurisdiction: o.jurisdiction },
        'vetted',
        o.operator === true,
      );
      await recordAudit(trx, ctx, {
        action: 'org.create',
        subjectType: 'organization',
        subjectId: org.id,
        details: { kind: o.kind, role: o.role, jurisdiction: o.jurisdiction, status: 'vetted', demo: true },
      });
      for (const m of o.members) {
        const member = await writeNewMember(trx, now, {
          orgId: org.id,
          email: m.email,
          displayName: m.name,
          roles: m.roles,
          tier: m.tier,
          status: 'active',
          passwordHash,
        });
        const mfa = m.roles.includes('admin');
        const totpSecret = mfa ? newTotpSecret() : null;
        if (totpSecret !== null) {
          await updateMember(trx, member.id, {
            mfa_secret: totpSecret,
            mfa_enabled: 1,
            updated_at: isoTime(now),
          });
        }
        await recordAudit(trx, ctx, {
          action: 'member.invite',
          subjectType: 'member',
          subjectId: member.id,
          details: { orgId: org.id, roles: m.roles, tier: m.tier, demo: true },
        });
        signIns.push({ organization: o.name, email: m.email, roles: m.roles, totpSecret });
      }
    }
    await recordAudit(trx, ctx, {
      action: 'setup.complete',
      subjectType: 'instance',
      subjectId: null,
      details: { demo: true },
    });
    return { password: DEMO_PASSWORD, signIns };
  });
  if (seeded !== null) removeLocalSetupCode(ctx.config.dataDir);
  return seeded;
}
