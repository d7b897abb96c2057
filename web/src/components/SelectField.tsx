import { Field } from './Field.tsx';

interface SelectFieldProps<T extends string> {
  readonly label: string;
  readonly hint?: string;
  readonly value: T;
  /** The choices, in the order shown. */
  readonly options: readonly T[];
  /** What each choice is called on screen. */
  readonly labels: Readonly<Record<T, string>>;
  readonly onChange: (value: T) => void;
}

/** A labelled drop-down over a closed vocabulary (organization kind, role, …). */
export function SelectField<T extends string>({
  label,
  hint,
  value,
  options,
  labels,
  onChange,
}: SelectFieldProps<T>) {
  return (
    <Field label={label} {...(hint === undefined ? {} : { hint })}>
      {(id, describedBy) => (
        <select
          id={id}
          aria-describedby={describedBy}
          value={value}
          onChange={(e) => onChange(e.target.value as T)}
        >
          {options.map((o) => (
            <option key={o} value={o}>
              {labels[o]}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
