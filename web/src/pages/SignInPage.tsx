import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { api } from '../api/client.ts';
import { errorCode } from '../api/messages.ts';
import type { Session } from '../api/types.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { Field } from '../components/Field.tsx';
import { PublicLayout } from '../components/Layout.tsx';
import { TextField } from '../components/TextField.tsx';
import { TotpCodeField } from '../components/TotpCodeField.tsx';
import { acceptSession } from '../session/session.ts';

/** Where to go after signing in: the page that sent us here, if it was an in-app path. */
function returnPath(state: unknown): string {
  if (typeof state === 'object' && state !== null && 'from' in state) {
    const from = (state as { from: unknown }).from;
    if (typeof from === 'string' && from.startsWith('/') && !from.startsWith('//')) return from;
  }
  return '/';
}

/** Sign-in with e-mail and password, then a TOTP code when the account has MFA. */
export function SignInPage() {
  const client = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [recoveryCode, setRecoveryCode] = useState('');
  const [step, setStep] = useState<'password' | 'totp' | 'recovery'>('password');

  const signIn = useMutation({
    mutationFn: (withCode: 'password' | 'totp' | 'recovery') =>
      api.post<Session>('/api/v1/session', {
        email: email.trim(),
        password,
        ...(withCode === 'totp' ? { totp: totp.trim() } : {}),
        ...(withCode === 'recovery' ? { recoveryCode: recoveryCode.trim() } : {}),
      }),
    onSuccess: (session) => {
      acceptSession(client, session);
      navigate(session.mfaEnrollmentRequired ? '/mfa' : returnPath(location.state), { replace: true });
    },
    onError: (error) => {
      if (errorCode(error) === 'MFA_REQUIRED') setStep('totp');
    },
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    signIn.mutate(step);
  }

  const showError =
    signIn.error !== null && !(step !== 'password' && errorCode(signIn.error) === 'MFA_REQUIRED');
  const switchTo = (next: 'totp' | 'recovery') => {
    setStep(next);
    setTotp('');
    setRecoveryCode('');
    signIn.reset();
  };

  return (
    <PublicLayout>
      <h1>Sign in</h1>
      <form onSubmit={submit} aria-label="Sign in">
        {step === 'password' ? (
          <>
            <Field label="E-mail address">
              {(id) => (
                <input
                  id={id}
                  type="email"
                  required
                  autoComplete="username"
                  value={email}
                  onChange={(e) => setEmail(e.target.value)}
                />
              )}
            </Field>
            <Field label="Password">
              {(id) => (
                <input
                  id={id}
                  type="password"
                  required
                  autoComplete="current-password"
                  value={password}
                  onChange={(e) => setPassword(e.target.value)}
                />
              )}
            </Field>
          </>
        ) : step === 'totp' ? (
          <>
            <p className="lead">
              Two-factor authentication is on for <strong>{email}</strong>. Enter the 6-digit code from your
              authenticator app.
            </p>
            {/* The code field is the only thing to do on this step, so it takes the focus. */}
            <TotpCodeField label="Authentication code" autoFocus value={totp} onChange={setTotp} />
            <p>
              <button type="button" className="link-button" onClick={() => switchTo('recovery')}>
                Lost your authenticator? Use a recovery code
              </button>
            </p>
          </>
        ) : (
          <>
            <p className="lead">
              Enter one of the recovery codes you saved when you set up two-factor authentication for{' '}
              <strong>{email}</strong>. Each code works once.
            </p>
            <TextField
              label="Recovery code"
              className="mono"
              required
              autoComplete="off"
              spellCheck={false}
              maxLength={64}
              placeholder="XXXX-XXXX-XXXX"
              value={recoveryCode}
              onChange={setRecoveryCode}
            />
            <p>
              <button type="button" className="link-button" onClick={() => switchTo('totp')}>
                Use the authenticator app instead
              </button>
            </p>
          </>
        )}
        {showError ? <ErrorNotice error={signIn.error} /> : null}
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={signIn.isPending}>
            {signIn.isPending ? 'Signing in…' : step === 'password' ? 'Sign in' : 'Verify'}
          </button>
          {step !== 'password' ? (
            <button
              type="button"
              className="button"
              onClick={() => {
                setStep('password');
                setTotp('');
                setRecoveryCode('');
                signIn.reset();
              }}
            >
              Back
            </button>
          ) : null}
        </div>
      </form>
      {step === 'password' ? (
        <p className="hint">
          Forgot your password or lost your authenticator and recovery codes? Ask your organization's
          administrator for a reset link.
        </p>
      ) : null}
      <p className="card-footer">
        New organization? <Link to="/apply">Apply to join the partnership</Link>.
      </p>
      <p className="hint" data-testid="public-data">
        Public data (TLP:CLEAR, shared publicly) needs no account:{' '}
        <a href="/api/v1/exports/stix">STIX 2.1 bundle</a>, <a href="/api/v1/exports/csv">CSV</a>, or the
        public collection of the TAXII 2.1 server at <code>/taxii2/</code>.
      </p>
    </PublicLayout>
  );
}
