import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api/client.ts';
import { type Member, ORG_ROLES, type Organization } from '../api/types.ts';
import { DisplayNameField } from '../components/DisplayNameField.tsx';
import { EmailField } from '../components/EmailField.tsx';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { PublicLayout } from '../components/Layout.tsx';
import { OrganizationFields } from '../components/OrganizationFields.tsx';
import { type OrganizationDraft, organizationRequest } from '../components/organization-draft.ts';
import { PasswordFields, PasswordMismatch } from '../components/PasswordFields.tsx';
import { useNewPassword } from '../components/useNewPassword.ts';

/** Operator organizations are created at setup, never by application. */
const APPLY_ROLES = ORG_ROLES.filter((r) => r !== 'isac-operator');

/** The public "apply to join" form; the organization starts as pending until vetted. */
export function ApplyPage() {
  const [org, setOrg] = useState<OrganizationDraft>({
    name: '',
    kind: 'government',
    role: 'election-office',
    jurisdiction: '',
  });
  const [displayName, setDisplayName] = useState('');
  const [email, setEmail] = useState('');
  const password = useNewPassword();

  const apply = useMutation({
    mutationFn: () =>
      api.post<{ organization: Organization; member: Member }>('/api/v1/applications', {
        organization: organizationRequest(org),
        applicant: { email: email.trim(), displayName: displayName.trim(), password: password.value },
      }),
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    // The repeat is checked here only: the API takes the password once (a typo is caught before it is sent).
    if (!password.confirmed()) return;
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
          <OrganizationFields value={org} onChange={setOrg} roles={APPLY_ROLES} />
        </fieldset>
        <fieldset>
          <legend>You (the organization's first administrator)</legend>
          <div className="field-row">
            <DisplayNameField value={displayName} onChange={setDisplayName} />
            <EmailField label="Work e-mail address" value={email} onChange={setEmail} />
          </div>
          <PasswordFields inRow {...password.fields} />
        </fieldset>
        <PasswordMismatch shown={password.mismatch} />
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
