import { useId } from 'react';
import { MEMBER_ROLE_LABELS, MEMBER_ROLES, type MemberRole } from '../api/types.ts';

interface Props {
  readonly legend: string;
  readonly value: readonly MemberRole[];
  readonly onChange: (roles: MemberRole[]) => void;
}

/** Checkboxes for a member's roles (several allowed, at least one). */
export function RolePicker({ legend, value, onChange }: Props) {
  const id = useId();
  function toggle(role: MemberRole, on: boolean) {
    const next = MEMBER_ROLES.filter((r) => (r === role ? on : value.includes(r)));
    onChange(next);
  }
  return (
    <fieldset className="role-picker">
      <legend>{legend}</legend>
      <div className="checks-inline">
        {MEMBER_ROLES.map((role) => (
          <div className="check" key={role}>
            <input
              id={`${id}-${role}`}
              type="checkbox"
              checked={value.includes(role)}
              onChange={(e) => toggle(role, e.target.checked)}
            />
            <label htmlFor={`${id}-${role}`}>{MEMBER_ROLE_LABELS[role]}</label>
          </div>
        ))}
      </div>
    </fieldset>
  );
}
