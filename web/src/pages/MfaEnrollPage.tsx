import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api } from '../api/client.ts';
import { errorCode } from '../api/messages.ts';
import type { MfaEnrollment } from '../api/types.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { flash } from '../components/Flash.tsx';
import { PublicLayout } from '../components/Layout.tsx';
import { RecoveryCodes } from '../components/RecoveryCodes.tsx';
import { SecretBox } from '../components/SecretBox.tsx';
import { TotpCodeField } from '../components/TotpCodeField.tsx';
import { forgetSession, SESSION_KEY, useSession } from '../session/session.ts';

/**
 * The server's QR code is SVG markup. It is shown as an image from a data: URL, so that nothing in
 * it can run or touch the page (an <img> never executes scripts), instead of being inserted as HTML.
 */
function qrDataUrl(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

/** TOTP enrollment (RFC 6238): scan or type the secret, then confirm with a code. */
export function MfaEnrollPage() {
  const client = useQueryClient();
  const navigate = useNavigate();
  const { data: session } = useSession();
  const required = session?.mfaEnrollmentRequired === true;
  const [code, setCode] = useState('');

  // Starting enrollment is a POST, run once per visit; a query dedupes React's double mount.
  const enrollment = useQuery({
    queryKey: ['mfa-enrollment'],
    queryFn: () => api.post<MfaEnrollment>('/api/v1/me/mfa'),
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 0,
    retry: false,
    refetchOnWindowFocus: false,
  });

  const confirm = useMutation({
    mutationFn: () =>
      api.post<{ mfaEnabled: boolean; recoveryCodes: string[] }>('/api/v1/me/mfa/confirm', {
        code: code.trim(),
      }),
  });
  // The session is refreshed only once the recovery codes were seen: refreshing it at once would
  // let the session gate move an administrator on before they saved them. The enrollment query is
  // not removed: that would make the still-mounted page start a new enrollment. It has gcTime 0,
  // so it is dropped as soon as this page unmounts.
  async function done() {
    await client.refetchQueries({ queryKey: SESSION_KEY });
    navigate(required ? '/' : '/account', { replace: true, state: flash('mfa-enabled') });
  }

  const signOut = useMutation({
    mutationFn: () => api.delete('/api/v1/session'),
    onSettled: () => {
      forgetSession(client);
      navigate('/sign-in', { replace: true });
    },
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    confirm.mutate();
  }

  const already = errorCode(enrollment.error) === 'MFA_ALREADY_ENROLLED';

  if (confirm.data) {
    return (
      <PublicLayout wide>
        <h1>Two-factor authentication is on</h1>
        <RecoveryCodes codes={confirm.data.recoveryCodes} onDone={done} />
      </PublicLayout>
    );
  }

  return (
    <PublicLayout wide>
      <h1>Set up two-factor authentication</h1>
      {required ? (
        <div className="notice notice-info">
          Administrators must use two-factor authentication. Finish this step to continue.
        </div>
      ) : null}
      {enrollment.isPending ? <p aria-live="polite">Preparing your secret key…</p> : null}
      {already ? (
        <>
          <div className="notice notice-info">
            Two-factor authentication is already set up for this account.
          </div>
          <p>
            <Link to="/account">Back to your account</Link>
          </p>
        </>
      ) : (
        <ErrorNotice error={enrollment.error} />
      )}
      {enrollment.data ? (
        <div className="mfa-grid">
          <div className="mfa-qr">
            <img
              src={qrDataUrl(enrollment.data.qrSvg)}
              alt="QR code to add Tabella to your authenticator app"
              width={192}
              height={192}
            />
          </div>
          <div>
            <ol className="steps">
              <li>Open an authenticator app (for example FreeOTP, Aegis or Google Authenticator).</li>
              <li>
                Scan the QR code, or enter the secret key below by hand (time-based, 6 digits, 30 seconds).
              </li>
              <li>Enter the 6-digit code the app shows to confirm.</li>
            </ol>
            <SecretBox
              label="Secret key"
              value={enrollment.data.secret}
              hint="Keep this secret. Anyone with it can generate your codes."
            />
            <form onSubmit={submit} aria-label="Confirm two-factor authentication">
              <TotpCodeField label="Authentication code" value={code} onChange={setCode} />
              <ErrorNotice error={confirm.error} />
              <div className="form-actions">
                <button type="submit" className="button button-primary" disabled={confirm.isPending}>
                  {confirm.isPending ? 'Confirming…' : 'Confirm and turn on'}
                </button>
              </div>
            </form>
          </div>
        </div>
      ) : null}
      <p className="card-footer">
        {required ? (
          <button type="button" className="link-button" onClick={() => signOut.mutate()}>
            Sign out
          </button>
        ) : (
          <Link to="/account">Cancel</Link>
        )}
      </p>
    </PublicLayout>
  );
}
