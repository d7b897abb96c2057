import { useId } from 'react';
import { TOKEN_SCOPE_LABELS, TOKEN_SCOPES, type TokenScope } from '../api/types.ts';

interface Props {
  readonly value: readonly TokenScope[];
  readonly onChange: (scopes: TokenScope[]) => void;
}

/** Checkboxes for a new token's scopes (at least one), each with what it allows. */
export function ScopePicker({ value, onChange }: Props) {
  const id = useId();
  function toggle(scope: TokenScope, on: boolean) {
    onChange(TOKEN_SCOPES.filter((s) => (s === scope ? on : value.includes(s))));
  }
  return (
    <fieldset className="scope-picker">
      <legend>What it may do</legend>
      <div className="check-list">
        {TOKEN_SCOPES.map((scope) => (
          <div className="check" key={scope}>
            <input
              id={`${id}-${scope}`}
              type="checkbox"
              checked={value.includes(scope)}
              onChange={(e) => toggle(scope, e.target.checked)}
              aria-describedby={`${id}-${scope}-hint`}
            />
            <label htmlFor={`${id}-${scope}`}>{TOKEN_SCOPE_LABELS[scope].label}</label>
            <span id={`${id}-${scope}-hint`} className="hint">
              {' '}
              — {TOKEN_SCOPE_LABELS[scope].hint}
            </span>
          </div>
        ))}
      </div>
    </fieldset>
  );
}
