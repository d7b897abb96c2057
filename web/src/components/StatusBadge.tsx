import type { MemberStatus, OrgStatus } from '../api/types.ts';

const LABELS: Readonly<Record<OrgStatus | MemberStatus | 'revoked', string>> = {
  pending: 'Pending',
  vetted: 'Vetted',
  suspended: 'Suspended',
  invited: 'Invited',
  active: 'Active',
  revoked: 'Revoked',
};

export function StatusBadge({ status }: { readonly status: OrgStatus | MemberStatus | 'revoked' }) {
  return <span className={`badge badge-${status}`}>{LABELS[status]}</span>;
}
