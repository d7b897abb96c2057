import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '../api/client.ts';
import type { RecoveryCodeStatus } from '../api/types.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { RecoveryCodes } from '../components/RecoveryCodes.tsx';
import { TextField } from '../components/TextField.tsx';
import { TotpCodeField } from '../components/TotpCodeField.tsx';

const KEY = ['recovery-codes'];

/**
 * The account page's recovery codes: how many are left, and a new set (current password and a
 * code from the authenticator), shown once; the old set stops working.
 */
export function RecoveryCodesPanel() {
  const client = useQueryClient();
  const status = useQuery({
    queryKey: KEY,
    queryFn: () => api.get<RecoveryCodeStatus>('/api/v1/me/recovery-codes'),
  });
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const regenerate = useMutation({
    mutationFn: () =>
      api.post<{ recoveryCodes: string[] }>('/api/v1/me/recovery-codes', {
        currentPassword: password,
        code: code.trim(),
      }),
    onSuccess: () => {
      setPassword('');
      setCode('');
    },
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    regenerate.mutate();
  }

  if (regenerate.data) {
    return (
      <RecoveryCodes
        codes={regenerate.data.recoveryCodes}
        doneLabel="Done"
        onDone={() => {
          regenerate.reset();
          setOpen(false);
          void client.invalidateQueries({ queryKey: KEY });
        }}
      />
    );
  }

  const remaining = status.data?.remaining;
  return (
    <div className="recovery-panel">
      <h3>Recovery codes</h3>
      <ErrorNotice error={status.error} />
      {remaining !== undefined ? (
        <p data-testid="recovery-remaining">
          <strong>{remaining}</strong> of 10 recovery codes left.
          {remaining <= 3 ? ' Generate new ones soon.' : null}
        </p>
      ) : null}
      {open ? (
        <form onSubmit={submit} aria-label="Generate new recovery codes">
          <p className="hint">
            Your current codes stop working as soon as the new ones are made. Lost your authenticator? Ask
            your organization's administrator to reset two-factor authentication.
          </p>
          <TextField
            label="Current password"
            type="password"
            required
            autoComplete="current-password"
            value={password}
            onChange={setPassword}
          />
          <TotpCodeField label="Current authentication code" value={code} onChange={setCode} />
          <ErrorNotice
            error={regenerate.error}
            messages={{ INVALID_CREDENTIALS: 'The current password is incorrect.' }}
          />
          <div className="form-actions">
            <button type="submit" className="button button-primary" disabled={regenerate.isPending}>
              Generate new codes
            </button>
            <button type="button" className="button" onClick={() => setOpen(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <button type="button" className="button" onClick={() => setOpen(true)}>
          Generate new recovery codes…
        </button>
      )}
    </div>
  );
}
