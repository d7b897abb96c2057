import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api/client.ts';
import {
  type Member,
  ORG_KIND_LABELS,
  ORG_KINDS,
  ORG_ROLE_LABELS,
  ORG_ROLES,
  type Organization,
  type OrgKind,
  type OrgRole,
} from '../api/types.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { PublicLayout } from '../components/Layout.tsx';
import { SelectField } from '../components/SelectField.tsx';
import { TextField } from '../components/TextField.tsx';

/** Operator organizations are created at setup, never by application. */
const APPLY_ROLES = ORG_ROLES.filter((r) => r !== 'isac-operator');

/** The public "apply to join" form; the organization starts as pending until vetted. */
export function ApplyPage() {
  const [orgName, setOrgName] = useState('');
  const [kind, setKind] = useState<OrgKind>('government');
  const [role, setRole] = useState<OrgRole>('election-office');
  const [jurisdiction, setJurisdiction] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  const apply = useMutation({
    mutationFn: () =>
      api.post<{ organization: Organization; member: Member }>('/api/v1/applications', {
        organization: {
          name: orgName.trim(),
          kind,
          role,
          ...(jurisdiction.trim() === '' ? {} : { jurisdiction: jurisdiction.trim().toUpperCase() }),
        },
        applicant: { email: email.trim(), displayName: displayName.trim(), password },
      }),
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    apply.mutate();
  }

  if (apply.data) {
    return (
      <PublicLayout>
        <h1>Application received</h1>
        <div className="notice notice-success" role="status">
          <strong>{apply.data.organization.name}</strong> has applied to join the partnership.
        </div>
        <p>
          The partnership's operators will vet your organization. Until then its status is{' '}
          <span className="badge badge-pending">Pending</span> and it does not take part in sharing. You will
          sign in as <strong>{apply.data.member.email}</strong>.
        </p>
        <p>
          <Link to="/sign-in">Go to sign-in</Link>
        </p>
      </PublicLayout>
    );
  }

  return (
    <PublicLayout wide>
      <h1>Apply to join</h1>
      <p className="lead">
        Election offices, government agencies and private partners can apply to join this partnership.
        Operators review every application before an organization takes part in sharing.
      </p>
      <form onSubmit={submit} aria-label="Apply to join">
        <fieldset>
          <legend>Your organization</legend>
          <TextField
            label="Organization name"
            required
            maxLength={200}
            value={orgName}
            onChange={setOrgName}
          />
          <div className="field-row">
            <SelectField
              label="Kind"
              value={kind}
              options={ORG_KINDS}
              labels={ORG_KIND_LABELS}
              onChange={setKind}
            />
            <SelectField
              label="Role in the partnership"
              value={role}
              options={APPLY_ROLES}
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
        </fieldset>
        <fieldset>
          <legend>You (the organization's first administrator)</legend>
          <div className="field-row">
            <TextField
              label="Display name"
              required
              maxLength={200}
              autoComplete="name"
              value={displayName}
              onChange={setDisplayName}
            />
            <TextField
              label="Work e-mail address"
              type="email"
              required
              autoComplete="email"
              value={email}
              onChange={setEmail}
            />
          </div>
          <TextField
            label="Password"
            hint="A long passphrase; at least 12 characters."
            type="password"
            required
            minLength={12}
            autoComplete="new-password"
            value={password}
            onChange={setPassword}
          />
        </fieldset>
        <ErrorNotice error={apply.error} />
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={apply.isPending}>
            {apply.isPending ? 'Sending…' : 'Send application'}
          </button>
        </div>
      </form>
      <p className="card-footer">
        Already a member? <Link to="/sign-in">Sign in</Link>.
      </p>
    </PublicLayout>
  );
}
