import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../api/client.ts';
import type { Session } from '../api/types.ts';
import { DisplayNameField } from '../components/DisplayNameField.tsx';
import { EmailField } from '../components/EmailField.tsx';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { PublicLayout } from '../components/Layout.tsx';
import { OrganizationFields } from '../components/OrganizationFields.tsx';
import { type OrganizationDraft, organizationRequest } from '../components/organization-draft.ts';
import { PasswordFields, PasswordMismatch } from '../components/PasswordFields.tsx';
import { TextField } from '../components/TextField.tsx';
import { useNewPassword } from '../components/useNewPassword.ts';
import { acceptSession, SETUP_KEY } from '../session/session.ts';

/** First-run setup: the operator organization and its first administrator (once only). */
export function SetupPage() {
  const client = useQueryClient();
  const navigate = useNavigate();
  const [org, setOrg] = useState<OrganizationDraft>({ name: '', kind: 'government', jurisdiction: '' });
  const [displayName, setDisplayName] = useState('');
  const [email, setEmail] = useState('');
  const [setupCode, setSetupCode] = useState('');
  const password = useNewPassword();

  const setup = useMutation({
    mutationFn: () =>
      api.post<Session>('/api/v1/setup', {
        setupCode: setupCode.trim(),
        organization: organizationRequest(org),
        admin: { email: email.trim(), displayName: displayName.trim(), password: password.value },
      }),
    onSuccess: (session) => {
      acceptSession(client, session);
      client.setQueryData(SETUP_KEY, { needed: false });
      navigate(session.mfaEnrollmentRequired ? '/mfa' : '/', { replace: true });
    },
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!password.confirmed()) return;
    setup.mutate();
  }

  return (
    <PublicLayout wide>
      <h1>Set up Tabella</h1>
      <p className="lead">
        Create the operator organization — the one that runs this partnership hub — and its first
        administrator. This can be done only once.
      </p>
      <form onSubmit={submit} aria-label="First-run setup">
        <fieldset>
          <legend>Setup code</legend>
          <TextField
            label="Setup code"
            hint="The server printed it on its console when it started; it is also in the file setup-code in its data directory (readable only by the user the server runs as). It proves you run this server."
            required
            autoComplete="off"
            spellCheck={false}
            autoCapitalize="characters"
            className="mono"
            maxLength={64}
            placeholder="XXXXX-XXXXX-XXXXX-XXXXX"
            value={setupCode}
            onChange={setSetupCode}
          />
        </fieldset>
        <fieldset>
          <legend>Operator organization</legend>
          <OrganizationFields value={org} onChange={setOrg} />
        </fieldset>
        <fieldset>
          <legend>First administrator</legend>
          <DisplayNameField value={displayName} onChange={setDisplayName} />
          <EmailField value={email} onChange={setEmail} />
          <PasswordFields inRow {...password.fields} />
        </fieldset>
        <PasswordMismatch shown={password.mismatch} />
        <ErrorNotice error={setup.error} />
        <p className="hint">Administrators must set up two-factor authentication next.</p>
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={setup.isPending}>
            {setup.isPending ? 'Creating…' : 'Create organization and administrator'}
          </button>
        </div>
      </form>
    </PublicLayout>
  );
}
