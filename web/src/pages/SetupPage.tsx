import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../api/client.ts';
import { ORG_KIND_LABELS, ORG_KINDS, type OrgKind, type Session } from '../api/types.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { PublicLayout } from '../components/Layout.tsx';
import { SelectField } from '../components/SelectField.tsx';
import { TextField } from '../components/TextField.tsx';
import { acceptSession, SETUP_KEY } from '../session/session.ts';

/** First-run setup: the operator organization and its first administrator (once only). */
export function SetupPage() {
  const client = useQueryClient();
  const navigate = useNavigate();
  const [orgName, setOrgName] = useState('');
  const [kind, setKind] = useState<OrgKind>('government');
  const [jurisdiction, setJurisdiction] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [mismatch, setMismatch] = useState(false);

  const setup = useMutation({
    mutationFn: () =>
      api.post<Session>('/api/v1/setup', {
        organization: {
          name: orgName.trim(),
          kind,
          ...(jurisdiction.trim() === '' ? {} : { jurisdiction: jurisdiction.trim().toUpperCase() }),
        },
        admin: { email: email.trim(), displayName: displayName.trim(), password },
      }),
    onSuccess: (session) => {
      acceptSession(client, session);
      client.setQueryData(SETUP_KEY, { needed: false });
      navigate(session.mfaEnrollmentRequired ? '/mfa' : '/', { replace: true });
    },
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    if (password !== confirm) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
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
          <legend>Operator organization</legend>
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
            <TextField
              label="Jurisdiction (optional)"
              hint="ISO 3166-2 code, e.g. US-NC"
              className="mono"
              maxLength={6}
              value={jurisdiction}
              onChange={setJurisdiction}
            />
          </div>
        </fieldset>
        <fieldset>
          <legend>First administrator</legend>
          <TextField
            label="Display name"
            required
            maxLength={200}
            autoComplete="name"
            value={displayName}
            onChange={setDisplayName}
          />
          <TextField
            label="E-mail address"
            type="email"
            required
            autoComplete="email"
            value={email}
            onChange={setEmail}
          />
          <div className="field-row">
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
            <TextField
              label="Repeat password"
              type="password"
              required
              autoComplete="new-password"
              value={confirm}
              onChange={setConfirm}
            />
          </div>
        </fieldset>
        {mismatch ? (
          <div className="notice notice-error" role="alert">
            The passwords do not match.
          </div>
        ) : null}
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
