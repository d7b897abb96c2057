import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import type { Organization } from '../api/types.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { formatDate } from '../components/format.ts';

/**
 * A vetted organization's rename waiting for the operator (issue 11 §3): the organization sees that
 * it waits; the operator's admins approve or reject it here. The requested name is the member's
 * text, shown as React text only.
 */
export function PendingRename({
  org,
  canDecide,
  onDecided,
}: {
  readonly org: Organization;
  readonly canDecide: boolean;
  readonly onDecided: (org: Organization) => void;
}) {
  const client = useQueryClient();
  const decide = useMutation({
    mutationFn: (verb: 'approve' | 'reject') =>
      api.post<Organization>(`/api/v1/orgs/${encodeURIComponent(org.id)}/rename/${verb}`, {}),
    onSuccess: async (updated) => {
      onDecided(updated);
      await client.invalidateQueries({ queryKey: ['orgs'] });
    },
  });
  const pending = org.pendingRename;
  if (pending === undefined) return null;
  return (
    <section
      className="notice notice-warn"
      aria-label="Rename waiting for approval"
      data-testid="pending-rename"
    >
      <p>
        Rename to <strong>{pending.name}</strong> requested on {formatDate(pending.requestedAt)}.{' '}
        {canDecide
          ? 'Check that the new name is this organization’s before approving it.'
          : 'The current name stays until the operator approves it.'}
      </p>
      {canDecide ? (
        <div className="form-actions">
          <button
            type="button"
            className="button button-primary"
            disabled={decide.isPending}
            onClick={() => decide.mutate('approve')}
          >
            Approve rename
          </button>
          <button
            type="button"
            className="button"
            disabled={decide.isPending}
            onClick={() => decide.mutate('reject')}
          >
            Reject rename
          </button>
        </div>
      ) : null}
      <ErrorNotice error={decide.error} />
    </section>
  );
}
