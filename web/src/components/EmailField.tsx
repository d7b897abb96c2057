import { TextField } from './TextField.tsx';

/** A person's own e-mail address (the sign-in name), typed by that person. */
export function EmailField({
  label = 'E-mail address',
  value,
  onChange,
}: {
  readonly label?: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
}) {
  return (
    <TextField label={label} type="email" required autoComplete="email" value={value} onChange={onChange} />
  );
}
