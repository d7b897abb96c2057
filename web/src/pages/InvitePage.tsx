import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../api/client.ts';
import type { Invitation, Session } from '../api/types.ts';
import { DisplayNameField } from '../components/DisplayNameField.tsx';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { PublicLayout } from '../components/Layout.tsx';
import { PasswordFields, PasswordMismatch } from '../components/PasswordFields.tsx';
import { useNewPassword } from '../components/useNewPassword.ts';
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
  const password = useNewPassword();

  const accept = useMutation({
    mutationFn: (name: string) =>
      api.post<Session>(path, {
        password: password.value,
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
    if (!password.confirmed()) return;
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
          <DisplayNameField value={displayName ?? inv.displayName} onChange={setDisplayName} />
          <input type="email" hidden readOnly autoComplete="username" value={inv.email} />
          <PasswordFields label="Choose a password" {...password.fields} />
          {inv.mfaRequired ? (
            <p className="hint">Your role requires two-factor authentication; you will set it up next.</p>
          ) : null}
          <PasswordMismatch shown={password.mismatch} />
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
