import { Field } from './Field.tsx';

interface TotpCodeFieldProps {
  readonly label: string;
  readonly value: string;
  /** Gets the digits only. */
  readonly onChange: (code: string) => void;
  /** Only where entering the code is the one thing left to do on the page. */
  readonly autoFocus?: boolean;
}

/** A 6-digit code from an authenticator app (TOTP, RFC 6238). */
export function TotpCodeField({ label, value, onChange, autoFocus = false }: TotpCodeFieldProps) {
  return (
    <Field label={label}>
      {(id) => (
        <input
          id={id}
          className="mono code-input"
          required
          // biome-ignore lint/a11y/noAutofocus: callers ask for it only where the code is all there is to do
          autoFocus={autoFocus}
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9]{6}"
          maxLength={6}
          value={value}
          onChange={(e) => onChange(e.target.value.replace(/\D/g, ''))}
        />
      )}
    </Field>
  );
}
