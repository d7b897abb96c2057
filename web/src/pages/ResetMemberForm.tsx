import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '../api/client.ts';
import type { IssuedReset, Member } from '../api/types.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { formatDateTime } from '../components/format.ts';
import { SecretBox } from '../components/SecretBox.tsx';

/**
 * An administrator issues a one-time reset link for a member's password and/or two-factor
 * authentication, and hands it over (no e-mail yet). The member is signed out everywhere at once.
 */
export function ResetMemberForm({
  member,
  onClose,
}: {
  readonly member: Member;
  readonly onClose: () => void;
}) {
  const client = useQueryClient();
  const [password, setPassword] = useState(true);
  const [mfa, setMfa] = useState(false);
  const [revokeTokens, setRevokeTokens] = useState(false);
  const issue = useMutation({
    mutationFn: () =>
      api.post<IssuedReset>(`/api/v1/members/${encodeURIComponent(member.id)}/reset`, {
        password,
        mfa,
        revokeTokens,
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['members', member.orgId] }),
  });
  const id = `reset-${member.id}`;

  if (issue.data) {
    const r = issue.data;
    return (
      <div className="created" data-testid="reset-link">
        <p>
          {member.displayName} was signed out everywhere
          {r.tokensRevoked > 0 ? ` and ${r.tokensRevoked} API token(s) were revoked` : ''}. Hand this link
          over to them; it works once, until {formatDateTime(r.expiresAt)}.
        </p>
        <SecretBox
          label="Reset link"
          value={r.resetUrl}
          hint="Shown only this once. Anyone with the link can reset this account: send it only to the member."
        />
        <div className="form-actions">
          <button type="button" className="button button-small" onClick={onClose}>
            Done
          </button>
        </div>
      </div>
    );
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    if (password || mfa) issue.mutate();
  }

  return (
    <form className="inline-editor" onSubmit={submit} aria-label={`Reset ${member.displayName}`}>
      <fieldset className="checks-inline">
        <legend>Reset for {member.displayName}</legend>
        <span className="check">
          <input
            id={`${id}-password`}
            type="checkbox"
            checked={password}
            onChange={(e) => setPassword(e.target.checked)}
          />
          <label htmlFor={`${id}-password`}>Password</label>
        </span>
        <span className="check">
          <input id={`${id}-mfa`} type="checkbox" checked={mfa} onChange={(e) => setMfa(e.target.checked)} />
          <label htmlFor={`${id}-mfa`}>Two-factor authentication</label>
        </span>
        <span className="check">
          <input
            id={`${id}-tokens`}
            type="checkbox"
            checked={revokeTokens}
            onChange={(e) => setRevokeTokens(e.target.checked)}
          />
          <label htmlFor={`${id}-tokens`}>Also revoke their API tokens</label>
        </span>
      </fieldset>
      <p className="hint">
        Issuing the link signs the member out everywhere at once. A newer link replaces any older one; the
        link works once, for 24 hours.
      </p>
      {!password && !mfa ? (
        <p className="notice notice-error" role="alert">
          Choose the password, two-factor authentication or both.
        </p>
      ) : null}
      <ErrorNotice error={issue.error} />
      <div className="form-actions">
        <button
          type="submit"
          className="button button-danger button-small"
          disabled={issue.isPending || (!password && !mfa)}
        >
          Issue reset link
        </button>
        <button type="button" className="button button-small" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
