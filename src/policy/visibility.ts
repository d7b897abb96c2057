import type { Actor } from './actor.ts';
import type { DistributionKind } from './distribution.ts';
import type { EffectiveTlp } from './tlp.ts';
import type { AccessTier } from './vocabulary.ts';

/**
 * THE visibility rule of shared intelligence (issue 4 §4, docs/sharing.md). It is expressed as a
 * small condition tree so that one definition serves two interpreters: the SQL compiler every
 * read path uses (features/intel/visibility-sql.ts) and `evaluateCondition`, which tests use to
 * prove the SQL agrees. Nothing else decides who sees an object.
 */
export type Condition =
  | { readonly kind: 'true' }
  | { readonly kind: 'false' }
  | { readonly kind: 'and'; readonly of: readonly Condition[] }
  | { readonly kind: 'or'; readonly of: readonly Condition[] }
  | { readonly kind: 'notDeleted' }
  | { readonly kind: 'ownerIs'; readonly orgId: string }
  | { readonly kind: 'tlpIn'; readonly values: readonly EffectiveTlp[] }
  | { readonly kind: 'distributionIn'; readonly values: readonly DistributionKind[] }
  /** `orgs` distribution naming this organization as a recipient. */
  | { readonly kind: 'recipient'; readonly orgId: string }
  /**
   * `group` distribution to a group this organization belongs to now, and either was in the
   * audience recorded when the version was shared or the sharer opened it to future members.
   */
  | { readonly kind: 'groupAudience'; readonly orgId: string };

const T: Condition = { kind: 'true' };

const and = (...of: Condition[]): Condition => ({ kind: 'and', of });
const or = (...of: Condition[]): Condition => ({ kind: 'or', of });

/** The seam for partnership agreements (a later issue): today every agreement allows. */
export function agreementAllows(_actor: Actor): Condition {
  return T;
}

/**
 * The TLPs a member of a recipient organization may read of what another organization sent it by
 * name (issue 11 §5, docs/sharing.md "Access tiers"). TLP 2.0 restricts TLP:AMBER+STRICT to the
 * recipient organization and TLP:RED to the individual recipients: an organization names its
 * individual recipients of such material by giving them tier 2. Tier-1 members read up to
 * TLP:AMBER. An organization's own objects are visible to all its members whatever their tier.
 */
export function receivedTlps(tier: AccessTier): readonly EffectiveTlp[] {
  return tier === 2 ? ['clear', 'green', 'amber', 'amber+strict', 'red'] : ['clear', 'green', 'amber'];
}

/** Who may see which object versions. */
export function visibilityRule(actor: Actor): Condition {
  switch (actor.kind) {
    case 'cli':
      return { kind: 'notDeleted' };
    case 'anonymous':
      // Only what is meant for everyone: TLP:CLEAR, distributed publicly.
      return and(
        { kind: 'notDeleted' },
        { kind: 'tlpIn', values: ['clear'] },
        { kind: 'distributionIn', values: ['public'] },
      );
    case 'member': {
      const own: Condition = { kind: 'ownerIs', orgId: actor.orgId };
      if (actor.orgStatus !== 'vetted') return and({ kind: 'notDeleted' }, own);
      const shared = and(
        agreementAllows(actor),
        or(
          // Community and public: every vetted organization; never TLP:RED nor AMBER+STRICT (the
          // recipient organization only: named ones), never unknown markings.
          and(
            { kind: 'distributionIn', values: ['community', 'public'] },
            { kind: 'tlpIn', values: ['clear', 'green', 'amber'] },
          ),
          // Named organizations: the recipients; TLP:RED and AMBER+STRICT reach only this way, and
          // only the recipient's tier-2 members (see `receivedTlps`).
          and(
            { kind: 'distributionIn', values: ['orgs'] },
            { kind: 'tlpIn', values: receivedTlps(actor.tier) },
            { kind: 'recipient', orgId: actor.orgId },
          ),
          // A sharing group: its member organizations that were its audience when the version was
          // shared (or later members, if the sharer said so); never TLP:RED nor AMBER+STRICT.
          and(
            { kind: 'distributionIn', values: ['group'] },
            { kind: 'tlpIn', values: ['clear', 'green', 'amber'] },
            { kind: 'groupAudience', orgId: actor.orgId },
          ),
        ),
      );
      return and({ kind: 'notDeleted' }, or(own, shared));
    }
  }
}

/** The facts about one object version that the rule looks at. */
export interface VisibilityFacts {
  readonly deleted: boolean;
  readonly ownerOrgId: string;
  readonly tlp: EffectiveTlp;
  readonly distribution: DistributionKind;
  /** `orgs`: the named recipients; `group`: the group's members when the version was shared. */
  readonly recipientOrgIds: readonly string[];
  /** Organizations that are members of the object's group now (for `group` distribution). */
  readonly groupOrgIds: readonly string[];
  /** A `group` share open to the group's future members. */
  readonly groupOpen?: boolean | undefined;
}

/** Evaluates a condition in memory: the reference the SQL compilation is tested against. */
export function evaluateCondition(c: Condition, f: VisibilityFacts): boolean {
  switch (c.kind) {
    case 'true':
      return true;
    case 'false':
      return false;
    case 'and':
      return c.of.every((x) => evaluateCondition(x, f));
    case 'or':
      return c.of.some((x) => evaluateCondition(x, f));
    case 'notDeleted':
      return !f.deleted;
    case 'ownerIs':
      return f.ownerOrgId === c.orgId;
    case 'tlpIn':
      return c.values.includes(f.tlp);
    case 'distributionIn':
      return c.values.includes(f.distribution);
    case 'recipient':
      return f.distribution === 'orgs' && f.recipientOrgIds.includes(c.orgId);
    case 'groupAudience':
      return (
        f.distribution === 'group' &&
        f.groupOrgIds.includes(c.orgId) &&
        (f.groupOpen === true || f.recipientOrgIds.includes(c.orgId))
      );
  }
}

/** One version as the lineage rule sees it: its lineage (id, owner) and when that lineage started. */
export interface LineageFacts {
  readonly stixId: string;
  readonly ownerOrgId: string;
  readonly lineageAt: string;
}

/**
 * Two organizations may hold the same id (issue 9 §2, docs/sharing.md "Ids and lineages"): each has
 * its own lineage, and an actor is presented exactly one lineage of an id — its own organization's,
 * else the one that started first among those it can see (ties: the smaller owner id). So a version
 * from one organization is never presented as a version of another's object, and a later lineage
 * never replaces, for anyone, what they saw of an earlier one.
 */
export function lineagePreferred(actor: Actor, a: LineageFacts, b: LineageFacts): boolean {
  const own = actor.kind === 'member' ? actor.orgId : undefined;
  if (a.ownerOrgId === b.ownerOrgId) return false;
  if (own !== undefined && (a.ownerOrgId === own || b.ownerOrgId === own)) return a.ownerOrgId === own;
  return a.lineageAt < b.lineageAt || (a.lineageAt === b.lineageAt && a.ownerOrgId < b.ownerOrgId);
}

/** The versions an actor is presented: visible ones, of the preferred lineage of each id. */
export function presentedVersions<T extends LineageFacts>(
  actor: Actor,
  versions: readonly T[],
  facts: (v: T) => VisibilityFacts,
): T[] {
  const rule = visibilityRule(actor);
  const visible = versions.filter((v) => evaluateCondition(rule, facts(v)));
  return visible.filter((v) => !visible.some((w) => w.stixId === v.stixId && lineagePreferred(actor, w, v)));
}
