import { TextField } from './TextField.tsx';

/** The name a person goes by on Tabella, typed by that person. */
export function DisplayNameField({
  value,
  onChange,
}: {
  readonly value: string;
  readonly onChange: (value: string) => void;
}) {
  return (
    <TextField
      label="Display name"
      required
      maxLength={200}
      autoComplete="name"
      value={value}
      onChange={onChange}
    />
  );
}
