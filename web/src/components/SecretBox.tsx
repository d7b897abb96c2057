import { useId, useRef, useState } from 'react';

/**
 * A value shown once (invitation link, API token) with a copy button. The clipboard API needs a
 * secure context; elsewhere the text is selected so the person can copy it by hand.
 */
export function SecretBox({
  label,
  value,
  hint,
}: {
  readonly label: string;
  readonly value: string;
  readonly hint: string;
}) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'no' | 'yes' | 'manual'>('no');

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('yes');
    } catch {
      input.current?.select();
      setCopied('manual');
    }
  }

  return (
    <div className="secret-box">
      <label htmlFor={id}>{label}</label>
      <div className="secret-row">
        <input
          id={id}
          ref={input}
          className="mono"
          readOnly
          value={value}
          onFocus={(e) => e.currentTarget.select()}
          aria-describedby={`${id}-hint`}
        />
        <button type="button" className="button" onClick={copy}>
          {copied === 'yes' ? 'Copied' : 'Copy'}
        </button>
      </div>
      <p id={`${id}-hint`} className="hint">
        {hint}
      </p>
      <p className="sr-only" aria-live="polite">
        {copied === 'yes'
          ? 'Copied to the clipboard.'
          : copied === 'manual'
            ? 'Selected; press Ctrl+C to copy.'
            : ''}
      </p>
    </div>
  );
}
