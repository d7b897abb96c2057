import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../api/client.ts';
import type { Invitation, Session } from '../api/types.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { PublicLayout } from '../components/Layout.tsx';
import { TextField } from '../components/TextField.tsx';
import { acceptSession, forgetSession } from '../session/session.ts';

/** Accepting an invitation: choose a password (and confirm the name), then sign in. */
export function InvitePage() {
  const { token = '' } = useParams();
  const client = useQueryClient();
  const navigate = useNavigate();
  const path = `/api/v1/invitations/${encodeURIComponent(token)}`;
  const invitation = useQuery({
    queryKey: ['invitation', token],
    queryFn: () => api.get<Invitation>(path),
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
  });
  const [displayName, setDisplayName] = useState<string | null>(null);
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [mismatch, setMismatch] = useState(false);

  const accept = useMutation({
    mutationFn: (name: string) =>
      api.post<Session>(path, {
        password,
        ...(invitation.data && name !== invitation.data.displayName ? { displayName: name } : {}),
      }),
    onSuccess: (session) => {
      // Whoever was signed in in this browser before is replaced by the new member.
      forgetSession(client);
      acceptSession(client, session);
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
    accept.mutate((displayName ?? invitation.data?.displayName ?? '').trim());
  }

  const inv = invitation.data;
  return (
    <PublicLayout>
      <h1>Accept invitation</h1>
      {invitation.isPending ? <p>Checking your invitation…</p> : null}
      {invitation.error ? (
        <>
          <ErrorNotice error={invitation.error} />
          <p>Ask your organization's administrator for a new invitation.</p>
          <p>
            <Link to="/sign-in">Go to sign-in</Link>
          </p>
        </>
      ) : null}
      {inv ? (
        <form onSubmit={submit} aria-label="Accept invitation">
          <p className="lead">
            You have been invited to join <strong>{inv.organizationName}</strong> on Tabella as{' '}
            <strong>{inv.email}</strong>.
          </p>
          <TextField
            label="Display name"
            required
            maxLength={200}
            autoComplete="name"
            value={displayName ?? inv.displayName}
            onChange={setDisplayName}
          />
          <input type="email" hidden readOnly autoComplete="username" value={inv.email} />
          <TextField
            label="Choose a password"
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
          {inv.mfaRequired ? (
            <p className="hint">Your role requires two-factor authentication; you will set it up next.</p>
          ) : null}
          {mismatch ? (
            <div className="notice notice-error" role="alert">
              The passwords do not match.
            </div>
          ) : null}
          <ErrorNotice error={accept.error} />
          <div className="form-actions">
            <button type="submit" className="button button-primary" disabled={accept.isPending}>
              {accept.isPending ? 'Joining…' : 'Join and sign in'}
            </button>
          </div>
        </form>
      ) : null}
    </PublicLayout>
  );
}
