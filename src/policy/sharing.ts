import type { Actor } from './actor.ts';
import { breadth, type Distribution } from './distribution.ts';
import type { EffectiveTlp } from './tlp.ts';

/** Why a share or relay request is refused, or null when it is allowed. */
export type ShareRefusal =
  | 'PUBLIC_NEEDS_CLEAR'
  | 'RED_NEEDS_NAMED_RECIPIENTS'
  | 'STRICT_NEEDS_NAMED_RECIPIENTS'
  | 'NOT_A_SHARER'
  | 'EMPTY_RECIPIENTS';

/** Who may share at all: active members of vetted organizations, except read-only roles. */
export function canShare(actor: Actor): boolean {
  switch (actor.kind) {
    case 'cli':
      return true;
    case 'anonymous':
      return false;
    case 'member':
      return (
        actor.orgStatus === 'vetted' &&
        actor.roles.some((r) => r === 'admin' || r === 'analyst' || r === 'responder' || r === 'official')
      );
  }
}

/**
 * TLP 2.0 limits on distribution: CLEAR alone may be public; RED goes only to named recipients, and
 * so does AMBER+STRICT ("the recipient organization only": a group or the community would let its
 * members pass it on to organizations the sharer never named, and a group's audience changes).
 */
export function checkShare(actor: Actor, tlp: EffectiveTlp, d: Distribution): ShareRefusal | null {
  if (!canShare(actor)) return 'NOT_A_SHARER';
  if (d.kind === 'public' && tlp !== 'clear') return 'PUBLIC_NEEDS_CLEAR';
  if (tlp === 'red' && d.kind !== 'orgs' && d.kind !== 'org') return 'RED_NEEDS_NAMED_RECIPIENTS';
  if (tlp === 'amber+strict' && d.kind !== 'orgs' && d.kind !== 'org') return 'STRICT_NEEDS_NAMED_RECIPIENTS';
  if (d.kind === 'orgs' && d.orgIds.length === 0) return 'EMPTY_RECIPIENTS';
  return null;
}

/**
 * A recipient relaying an object can only narrow its reach: never TLP:RED nor AMBER+STRICT (which
 * stay with their recipients), never to a wider distribution than the original's.
 */
export function canRelay(
  tlp: EffectiveTlp,
  original: Distribution['kind'],
  target: Distribution['kind'],
): boolean {
  if (tlp === 'red' || tlp === 'amber+strict' || tlp === 'unknown') return false;
  if (target === 'public' || target === 'community') return breadth(target) <= breadth(original);
  return target === 'group' || target === 'orgs' ? breadth(original) >= 1 : false;
}
