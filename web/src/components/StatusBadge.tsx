import type { MemberStatus, OrgStatus } from '../api/types.ts';

type Status = OrgStatus | MemberStatus | 'revoked' | 'expired';

const LABELS: Readonly<Record<Status, string>> = {
  pending: 'Pending',
  vetted: 'Vetted',
  suspended: 'Suspended',
  invited: 'Invited',
  active: 'Active',
  revoked: 'Revoked',
  expired: 'Expired',
};

export function StatusBadge({ status }: { readonly status: Status }) {
  return <span className={`badge badge-${status}`}>{LABELS[status]}</span>;
}
