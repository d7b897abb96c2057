import { useState } from 'react';

/**
 * Recovery codes, shown once (at MFA enrollment or after regenerating them): a list to copy or
 * download, a clear warning, and a confirmation that they were saved before the page moves on.
 */
export function RecoveryCodes({
  codes,
  onDone,
  doneLabel = 'Continue',
}: {
  readonly codes: readonly string[];
  readonly onDone: () => void;
  readonly doneLabel?: string;
}) {
  const [saved, setSaved] = useState(false);
  const [copied, setCopied] = useState<'no' | 'yes' | 'failed'>('no');
  const text = `Tabella recovery codes (each works once)\n\n${codes.join('\n')}\n`;

  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  }

  function download() {
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'tabella-recovery-codes.txt';
    a.click();
    URL.revokeObjectURL(url);
  }

  return (
    <section className="recovery-codes" aria-labelledby="recovery-codes-title">
      <h2 id="recovery-codes-title">Your recovery codes</h2>
      <div className="notice notice-warn" role="alert">
        These codes are shown only this once. Save them somewhere safe, away from your phone: if you lose your
        authenticator, each code signs you in once in place of a 6-digit code.
      </div>
      <ol className="recovery-code-list mono" data-testid="recovery-codes">
        {codes.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ol>
      <div className="form-actions">
        <button type="button" className="button" onClick={copy}>
          {copied === 'yes' ? 'Copied' : 'Copy all'}
        </button>
        <button type="button" className="button" onClick={download}>
          Download .txt
        </button>
      </div>
      <p className="sr-only" aria-live="polite">
        {copied === 'yes'
          ? 'Copied to the clipboard.'
          : copied === 'failed'
            ? 'Copying failed; select the codes and copy them by hand.'
            : ''}
      </p>
      <div className="check">
        <input
          id="recovery-codes-saved"
          type="checkbox"
          checked={saved}
          onChange={(e) => setSaved(e.target.checked)}
        />
        <label htmlFor="recovery-codes-saved">I have saved these codes</label>
      </div>
      <div className="form-actions">
        <button type="button" className="button button-primary" disabled={!saved} onClick={onDone}>
          {doneLabel}
        </button>
      </div>
    </section>
  );
}
