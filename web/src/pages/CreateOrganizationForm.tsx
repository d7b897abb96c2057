import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '../api/client.ts';
import type { Organization } from '../api/types.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { OrganizationFields } from '../components/OrganizationFields.tsx';
import { type OrganizationDraft, organizationRequest } from '../components/organization-draft.ts';

interface Props {
  readonly onDone: (org: Organization) => void;
  readonly onCancel: () => void;
}

/** Operator admins add an organization directly (vetted, or pending for later review). */
export function CreateOrganizationForm({ onDone, onCancel }: Props) {
  const client = useQueryClient();
  const [org, setOrg] = useState<OrganizationDraft>({
    name: '',
    kind: 'government',
    role: 'election-office',
    jurisdiction: '',
  });
  const [vetted, setVetted] = useState(true);

  const create = useMutation({
    mutationFn: () =>
      api.post<Organization>('/api/v1/orgs', {
        ...organizationRequest(org),
        status: vetted ? 'vetted' : 'pending',
      }),
    onSuccess: async (org) => {
      await client.invalidateQueries({ queryKey: ['orgs'] });
      onDone(org);
    },
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    create.mutate();
  }

  return (
    <section className="panel" aria-labelledby="new-org-title">
      <h2 id="new-org-title">New organization</h2>
      <form onSubmit={submit}>
        <OrganizationFields compact value={org} onChange={setOrg} />
        <div className="check">
          <input
            id="new-org-vetted"
            type="checkbox"
            checked={vetted}
            onChange={(e) => setVetted(e.target.checked)}
          />
          <label htmlFor="new-org-vetted">Vetted now (it takes part in sharing at once)</label>
        </div>
        <ErrorNotice error={create.error} />
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={create.isPending}>
            {create.isPending ? 'Creating…' : 'Create organization'}
          </button>
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </section>
  );
}
