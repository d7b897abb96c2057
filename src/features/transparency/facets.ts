import { DISTRIBUTION_KINDS, ORG_STATUSES, TLPS } from '../../policy/index.ts';
import type { AuditAction } from '../audit/record.ts';
import type { CollectionRef } from '../intel/index.ts';

/** A facet's value: always a word of a closed vocabulary, never an identifier nor free text. */
export type FacetValue = string | boolean;

/**
 * One facet of a log entry: a detail of the event that the public log shows in clear, because the
 * public transparency figures need it (how much was shared at which TLP, how many organizations
 * were vetted). It is published only when the detail's value is one of `values` — deny by default.
 */
export interface FacetRule {
  /** The key in the event's details the facet is read from. */
  readonly detail: string;
  readonly values: readonly FacetValue[];
}

const TAXII_COLLECTION_KINDS = [
  'community',
  'public',
  'org',
  'group',
] as const satisfies readonly CollectionRef['kind'][];

const tlp: FacetRule = { detail: 'tlp', values: TLPS };

/**
 * What each action makes public besides the action, the time, the subject type and the actor's
 * sector (issue 9): a closed list, documented in docs/audit.md, which a test keeps in step. An
 * action missing here does not compile; a facet not listed is never published. Approvals, when
 * they come, publish their outcome.
 */
export const ENTRY_FACETS = {
  'setup.complete': {},
  'setup.fail': {},
  'org.create': { status: { detail: 'status', values: ORG_STATUSES } },
  'org.apply': {},
  'org.update': {},
  'org.status': { status: { detail: 'to', values: ORG_STATUSES } },
  'org.rename.request': {},
  'org.rename.approve': {},
  'org.rename.reject': {},
  'member.invite': {},
  'member.update': {},
  'member.activate': {},
  'invitation.resend': {},
  'invitation.revoke': {},
  'member.password': {},
  'member.password.fail': {},
  'member.mfa.enroll': {},
  'member.mfa.enable': {},
  'member.mfa.disable': {},
  'member.mfa.fail': {},
  'member.lockout': {},
  'member.recovery.generate': {},
  'member.recovery.use': {},
  'member.recovery.fail': {},
  'member.reset.issue': {},
  'member.reset.use': {},
  'session.create': {},
  'session.fail': {},
  'session.delete': {},
  'session.delete_all': {},
  'auth.throttle': {},
  'token.create': {},
  'token.revoke': {},
  'audit.search': {},
  'audit.receipt': {},
  'witness.register': {},
  'intel.share': { distribution: { detail: 'distribution', values: DISTRIBUTION_KINDS }, tlp },
  'intel.delete': {},
  'intel.relay': {},
  'intel.read': { tlp },
  'intel.export': {},
  'group.create': {},
  'group.update': {},
  'group.delete': {},
  'taxii.pull': { collection: { detail: 'collection', values: TAXII_COLLECTION_KINDS } },
} as const satisfies Readonly<Record<AuditAction, Readonly<Record<string, FacetRule>>>>;

/** Each action's rules as [facet, rule] pairs in RFC 8785 key order, for the sequencer's hot path. */
const RULES: ReadonlyMap<string, readonly (readonly [string, FacetRule])[]> = new Map(
  Object.entries(ENTRY_FACETS as Readonly<Record<string, Readonly<Record<string, FacetRule>>>>)
    .map(([action, rules]) => [action, Object.entries(rules).sort(([a], [b]) => (a < b ? -1 : 1))] as const)
    .filter(([, rules]) => rules.length > 0),
);

/** Whether an action publishes any facet (the sequencer parses the details only then). */
export function hasFacets(action: string): boolean {
  return RULES.has(action);
}

/**
 * The facets an event publishes, keys in RFC 8785 order; `details` is the event's (parsed)
 * details. A value outside the rule's vocabulary is left out, never published.
 */
export function entryFacets(action: string, details: unknown): Readonly<Record<string, FacetValue>> {
  const rules = RULES.get(action);
  const out: Record<string, FacetValue> = {};
  if (rules === undefined || typeof details !== 'object' || details === null) return out;
  for (const [facet, rule] of rules) {
    const value: unknown = (details as Record<string, unknown>)[rule.detail];
    if ((rule.values as readonly unknown[]).includes(value)) out[facet] = value as FacetValue;
  }
  return out;
}

/**
 * Whether the subject is public itself, so its id may appear in clear: an object shared TLP:CLEAR
 * to the public, which anyone can already read through the Public collection. Any other subject
 * id — above all the deterministic ids of observables (STIX 2.1 §2.9), which follow from their
 * values — lives only inside the entry's salted digest.
 */
export function isPublicSubject(action: string, facets: Readonly<Record<string, FacetValue>>): boolean {
  return action === 'intel.share' && facets.tlp === 'clear' && facets.distribution === 'public';
}
