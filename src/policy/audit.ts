import type { Actor } from './actor.ts';
import { isOperatorAdmin } from './membership.ts';

/**
 * Who may read the full audit events behind the public log (issue 5): the operator's admins and
 * the auditors of oversight bodies and of the operator read everything; other organizations'
 * admins and auditors read their own organization's events; nobody else reads any.
 */
export type AuditScope =
  | { readonly kind: 'all' }
  | { readonly kind: 'org'; readonly orgId: string }
  | { readonly kind: 'none' };

export function auditScope(actor: Actor): AuditScope {
  switch (actor.kind) {
    case 'cli':
      return { kind: 'all' };
    case 'anonymous':
      return { kind: 'none' };
    case 'member': {
      if (isOperatorAdmin(actor)) return { kind: 'all' };
      const auditor = actor.roles.includes('auditor');
      if (auditor && actor.orgStatus === 'vetted' && (actor.orgRole === 'oversight' || actor.isOperatorOrg)) {
        return { kind: 'all' };
      }
      if (auditor || actor.roles.includes('admin')) return { kind: 'org', orgId: actor.orgId };
      return { kind: 'none' };
    }
  }
}

/** Witnesses are run by vetted oversight bodies, registered by their admins or auditors. */
export function canOperateWitness(actor: Actor): boolean {
  switch (actor.kind) {
    case 'cli':
      return true;
    case 'anonymous':
      return false;
    case 'member':
      return (
        actor.orgRole === 'oversight' &&
        actor.orgStatus === 'vetted' &&
        (actor.roles.includes('admin') || actor.roles.includes('auditor'))
      );
  }
}
