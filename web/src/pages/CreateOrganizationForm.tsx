import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '../api/client.ts';
import {
  ORG_KIND_LABELS,
  ORG_KINDS,
  ORG_ROLE_LABELS,
  ORG_ROLES,
  type Organization,
  type OrgKind,
  type OrgRole,
} from '../api/types.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { SelectField } from '../components/SelectField.tsx';
import { TextField } from '../components/TextField.tsx';

interface Props {
  readonly onDone: (org: Organization) => void;
  readonly onCancel: () => void;
}

/** Operator admins add an organization directly (vetted, or pending for later review). */
export function CreateOrganizationForm({ onDone, onCancel }: Props) {
  const client = useQueryClient();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<OrgKind>('government');
  const [role, setRole] = useState<OrgRole>('election-office');
  const [jurisdiction, setJurisdiction] = useState('');
  const [vetted, setVetted] = useState(true);

  const create = useMutation({
    mutationFn: () =>
      api.post<Organization>('/api/v1/orgs', {
        name: name.trim(),
        kind,
        role,
        ...(jurisdiction.trim() === '' ? {} : { jurisdiction: jurisdiction.trim().toUpperCase() }),
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
        <div className="field-row">
          <TextField label="Name" required maxLength={200} value={name} onChange={setName} />
          <SelectField
            label="Kind"
            value={kind}
            options={ORG_KINDS}
            labels={ORG_KIND_LABELS}
            onChange={setKind}
          />
          <SelectField
            label="Role"
            value={role}
            options={ORG_ROLES}
            labels={ORG_ROLE_LABELS}
            onChange={setRole}
          />
          <TextField
            label="Jurisdiction (optional)"
            hint="ISO 3166-2, e.g. US-NC"
            className="mono"
            maxLength={6}
            value={jurisdiction}
            onChange={setJurisdiction}
          />
        </div>
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
