import { TextField } from './TextField.tsx';

interface PasswordFieldsProps {
  readonly label?: string;
  readonly hint?: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
  /** A second entry of the same password, where the form asks for one. */
  readonly repeat?: { readonly value: string; readonly onChange: (value: string) => void };
  readonly repeatLabel?: string;
  /** Side by side rather than one under the other. */
  readonly inRow?: boolean;
}

/** A new password (at least 12 characters), and its repeat where the form asks for one. */
export function PasswordFields({
  label = 'Password',
  hint = 'A long passphrase; at least 12 characters.',
  value,
  onChange,
  repeat,
  repeatLabel = 'Repeat password',
  inRow = false,
}: PasswordFieldsProps) {
  const fields = (
    <>
      <TextField
        label={label}
        hint={hint}
        type="password"
        required
        minLength={12}
        autoComplete="new-password"
        value={value}
        onChange={onChange}
      />
      {repeat === undefined ? null : (
        <TextField
          label={repeatLabel}
          type="password"
          required
          autoComplete="new-password"
          value={repeat.value}
          onChange={repeat.onChange}
        />
      )}
    </>
  );
  return inRow ? <div className="field-row">{fields}</div> : fields;
}

/** Shown when the two entries of a new password differed at submit. */
export function PasswordMismatch({
  shown,
  message = 'The passwords do not match.',
}: {
  readonly shown: boolean;
  readonly message?: string;
}) {
  return shown ? (
    <div className="notice notice-error" role="alert">
      {message}
    </div>
  ) : null;
}
