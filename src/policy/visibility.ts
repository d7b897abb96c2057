import type { Actor } from './actor.ts';
import type { DistributionKind } from './distribution.ts';
import type { EffectiveTlp } from './tlp.ts';

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
  /** `group` distribution to a group this organization belongs to. */
  | { readonly kind: 'groupMember'; readonly orgId: string };

const T: Condition = { kind: 'true' };

const and = (...of: Condition[]): Condition => ({ kind: 'and', of });
const or = (...of: Condition[]): Condition => ({ kind: 'or', of });

/** The seam for partnership agreements (a later issue): today every agreement allows. */
export function agreementAllows(_actor: Actor): Condition {
  return T;
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
          // Community and public: every vetted organization; never TLP:RED, never unknown markings.
          and(
            { kind: 'distributionIn', values: ['community', 'public'] },
            { kind: 'tlpIn', values: ['clear', 'green', 'amber', 'amber+strict'] },
          ),
          // Named organizations: the recipients; TLP:RED reaches only this way.
          and(
            { kind: 'distributionIn', values: ['orgs'] },
            { kind: 'tlpIn', values: ['clear', 'green', 'amber', 'amber+strict', 'red'] },
            { kind: 'recipient', orgId: actor.orgId },
          ),
          // A sharing group: its member organizations; never TLP:RED.
          and(
            { kind: 'distributionIn', values: ['group'] },
            { kind: 'tlpIn', values: ['clear', 'green', 'amber', 'amber+strict'] },
            { kind: 'groupMember', orgId: actor.orgId },
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
  readonly recipientOrgIds: readonly string[];
  /** Organizations that are members of the object's group (for `group` distribution). */
  readonly groupOrgIds: readonly string[];
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
    case 'groupMember':
      return f.distribution === 'group' && f.groupOrgIds.includes(c.orgId);
  }
}
