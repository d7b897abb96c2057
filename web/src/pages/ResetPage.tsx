import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../api/client.ts';
import type { ResetLink } from '../api/types.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { formatDateTime } from '../components/format.ts';
import { PublicLayout } from '../components/Layout.tsx';
import { PasswordFields, PasswordMismatch } from '../components/PasswordFields.tsx';
import { useNewPassword } from '../components/useNewPassword.ts';
import { forgetSession } from '../session/session.ts';

interface Outcome {
  readonly password: boolean;
  readonly mfa: boolean;
  readonly mfaEnrollmentRequired: boolean;
}

/**
 * A reset link an administrator handed over: set a new password and/or drop two-factor
 * authentication to set it up again. It signs nobody in; the member signs in next.
 */
export function ResetPage() {
  const { token = '' } = useParams();
  const client = useQueryClient();
  const path = `/api/v1/resets/${encodeURIComponent(token)}`;
  const link = useQuery({
    queryKey: ['reset-link', token],
    queryFn: () => api.get<ResetLink>(path),
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
  });
  const password = useNewPassword();
  const redeem = useMutation({
    mutationFn: () => api.post<Outcome>(path, link.data?.password ? { password: password.value } : {}),
    // Using the link ended every session of the member, this browser's included.
    onSuccess: () => forgetSession(client),
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    if (link.data?.password && !password.confirmed()) return;
    redeem.mutate();
  }

  if (redeem.data) {
    const o = redeem.data;
    return (
      <PublicLayout>
        <h1>Account reset</h1>
        <div className="notice notice-success" role="status">
          {o.password && o.mfa
            ? 'Your password is changed and two-factor authentication is reset.'
            : o.password
              ? 'Your password is changed.'
              : 'Two-factor authentication is reset.'}{' '}
          You were signed out everywhere.
        </div>
        {o.mfaEnrollmentRequired ? (
          <p>Sign in now; you will set up two-factor authentication with your new device right away.</p>
        ) : o.mfa ? (
          <p>Sign in now, then set up two-factor authentication again on your account page.</p>
        ) : (
          <p>Sign in with your new password.</p>
        )}
        <p>
          <Link className="button button-primary" to="/sign-in">
            Go to sign-in
          </Link>
        </p>
      </PublicLayout>
    );
  }

  const r = link.data;
  return (
    <PublicLayout>
      <h1>Reset your account</h1>
      {link.isPending ? <p>Checking your link…</p> : null}
      {link.error ? (
        <>
          <ErrorNotice error={link.error} />
          <p>
            <Link to="/sign-in">Go to sign-in</Link>
          </p>
        </>
      ) : null}
      {r ? (
        <form onSubmit={submit} aria-label="Reset your account">
          <p className="lead">
            An administrator of <strong>{r.organizationName}</strong> issued this link for{' '}
            <strong>{r.email}</strong>
            {r.password && r.mfa
              ? ' to set a new password and set up two-factor authentication again.'
              : r.password
                ? ' to set a new password.'
                : ' to set up two-factor authentication again.'}{' '}
            It works once, until {formatDateTime(r.expiresAt)}.
          </p>
          {r.password ? (
            <>
              <input type="email" hidden readOnly autoComplete="username" value={r.email} />
              <PasswordFields label="New password" {...password.fields} />
              <PasswordMismatch shown={password.mismatch} />
            </>
          ) : null}
          {r.mfa ? (
            <p className="hint">
              Your authenticator and recovery codes stop working.
              {r.mfaRequired
                ? ' Your role requires two-factor authentication: you set it up when you next sign in.'
                : ''}
            </p>
          ) : null}
          <ErrorNotice error={redeem.error} />
          <div className="form-actions">
            <button type="submit" className="button button-primary" disabled={redeem.isPending}>
              {redeem.isPending
                ? 'Resetting…'
                : r.password
                  ? 'Set new password'
                  : 'Reset two-factor authentication'}
            </button>
          </div>
        </form>
      ) : null}
    </PublicLayout>
  );
}
