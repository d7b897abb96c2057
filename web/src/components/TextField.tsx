import type { InputHTMLAttributes } from 'react';
import { Field } from './Field.tsx';

type InputProps = Omit<
  InputHTMLAttributes<HTMLInputElement>,
  'id' | 'value' | 'onChange' | 'aria-describedby'
>;

interface TextFieldProps extends InputProps {
  readonly label: string;
  readonly hint?: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
}

/**
 * A labelled text input (name, e-mail, password…) bound to a string: a {@link Field} whose input
 * gets the field's id, is described by its hint, and reports each new value. Other props go to the
 * input as they are.
 */
export function TextField({ label, hint, value, onChange, ...input }: TextFieldProps) {
  return (
    <Field label={label} {...(hint === undefined ? {} : { hint })}>
      {(id, describedBy) => (
        <input
          id={id}
          aria-describedby={describedBy}
          {...input}
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </Field>
  );
}
