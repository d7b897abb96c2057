import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api } from '../api/client.ts';
import { MEMBER_ROLE_LABELS } from '../api/types.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { PageHeader } from '../components/Layout.tsx';
import { PasswordFields, PasswordMismatch } from '../components/PasswordFields.tsx';
import { TextField } from '../components/TextField.tsx';
import { TotpCodeField } from '../components/TotpCodeField.tsx';
import { useNewPassword } from '../components/useNewPassword.ts';
import { forgetSession, SESSION_KEY, useActor } from '../session/session.ts';
import { RecoveryCodesPanel } from './RecoveryCodesPanel.tsx';

/** My account: profile, password, two-factor authentication, sign-out (here or everywhere). */
export function AccountPage() {
  const actor = useActor();
  const m = actor.member;
  return (
    <>
      <PageHeader title="Account" />
      <div className="grid-2">
        <section className="panel" aria-labelledby="profile-title">
          <h2 id="profile-title">Profile</h2>
          <dl className="facts facts-stacked">
            <div>
              <dt>Name</dt>
              <dd>{m.displayName}</dd>
            </div>
            <div>
              <dt>E-mail</dt>
              <dd>{m.email}</dd>
            </div>
            <div>
              <dt>Organization</dt>
              <dd>{actor.organization.name}</dd>
            </div>
            <div>
              <dt>Roles</dt>
              <dd>{m.roles.map((r) => MEMBER_ROLE_LABELS[r]).join(', ')}</dd>
            </div>
            <div>
              <dt>Access tier</dt>
              <dd>{m.tier}</dd>
            </div>
          </dl>
        </section>
        <MfaSection />
        <PasswordSection />
        <SignOutSection />
      </div>
    </>
  );
}

function MfaSection() {
  const actor = useActor();
  const client = useQueryClient();
  const [code, setCode] = useState('');
  const [disabling, setDisabling] = useState(false);
  const disable = useMutation({
    mutationFn: () => api.delete('/api/v1/me/mfa', { code: code.trim() }),
    onSuccess: async () => {
      setDisabling(false);
      setCode('');
      await client.refetchQueries({ queryKey: SESSION_KEY });
    },
  });
  const enabled = actor.member.mfaEnabled;
  return (
    <section className="panel" aria-labelledby="mfa-title">
      <h2 id="mfa-title">Two-factor authentication</h2>
      <p>
        Status: <strong>{enabled ? 'On' : 'Off'}</strong>
        {actor.isAdmin ? ' · required for administrators' : null}
      </p>
      {!enabled ? (
        <Link className="button button-primary" to="/mfa">
          Set up two-factor authentication
        </Link>
      ) : null}
      {enabled && !actor.isAdmin && !disabling ? (
        <button type="button" className="button" onClick={() => setDisabling(true)}>
          Turn off…
        </button>
      ) : null}
      {disabling ? (
        <form
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            disable.mutate();
          }}
        >
          <TotpCodeField label="Current authentication code" value={code} onChange={setCode} />
          <ErrorNotice error={disable.error} />
          <div className="form-actions">
            <button type="submit" className="button button-danger" disabled={disable.isPending}>
              Turn off two-factor authentication
            </button>
            <button type="button" className="button" onClick={() => setDisabling(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : null}
      {enabled && !disabling ? <RecoveryCodesPanel /> : null}
    </section>
  );
}

function PasswordSection() {
  const [current, setCurrent] = useState('');
  const next = useNewPassword();
  const change = useMutation({
    mutationFn: () =>
      api.post<void>('/api/v1/me/password', { currentPassword: current, newPassword: next.value }),
    onSuccess: () => {
      setCurrent('');
      next.clear();
    },
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    if (!next.confirmed()) return;
    change.mutate();
  }
  return (
    <section className="panel" aria-labelledby="password-title">
      <h2 id="password-title">Change password</h2>
      <form onSubmit={submit}>
        <TextField
          label="Current password"
          type="password"
          required
          autoComplete="current-password"
          value={current}
          onChange={setCurrent}
        />
        <PasswordFields
          label="New password"
          hint="At least 12 characters. Your other sessions will be signed out."
          repeatLabel="Repeat new password"
          {...next.fields}
        />
        <PasswordMismatch shown={next.mismatch} message="The new passwords do not match." />
        <ErrorNotice
          error={change.error}
          messages={{ INVALID_CREDENTIALS: 'The current password is incorrect.' }}
        />
        {change.isSuccess ? (
          <div className="notice notice-success" role="status">
            Password changed. Your other sessions were signed out.
          </div>
        ) : null}
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={change.isPending}>
            Change password
          </button>
        </div>
      </form>
    </section>
  );
}

function SignOutSection() {
  const client = useQueryClient();
  const navigate = useNavigate();
  const done = () => {
    forgetSession(client);
    navigate('/sign-in', { replace: true });
  };
  const here = useMutation({ mutationFn: () => api.delete('/api/v1/session'), onSettled: done });
  const everywhere = useMutation({ mutationFn: () => api.delete('/api/v1/sessions'), onSuccess: done });
  return (
    <section className="panel" aria-labelledby="signout-title">
      <h2 id="signout-title">Sessions</h2>
      <p>Sign out of this browser, or of every browser and device where you are signed in.</p>
      <ErrorNotice error={everywhere.error} />
      <div className="form-actions">
        <button type="button" className="button" onClick={() => here.mutate()} disabled={here.isPending}>
          Sign out
        </button>
        <button
          type="button"
          className="button button-danger"
          onClick={() => everywhere.mutate()}
          disabled={everywhere.isPending}
        >
          Sign out everywhere
        </button>
      </div>
    </section>
  );
}
