import { ORG_KIND_LABELS, ORG_KINDS, ORG_ROLE_LABELS, ORG_ROLES, type OrgRole } from '../api/types.ts';
import { JURISDICTION_HINT, type OrganizationDraft } from './organization-draft.ts';
import { SelectField } from './SelectField.tsx';
import { TextField } from './TextField.tsx';

interface OrganizationFieldsProps {
  readonly value: OrganizationDraft;
  readonly onChange: (value: OrganizationDraft) => void;
  /** The roles offered, when the draft has a role; every role unless said. */
  readonly roles?: readonly OrgRole[];
  /** All fields in one row with short labels ("Name", "Role"), for a panel already about an organization. */
  readonly compact?: boolean;
  readonly jurisdictionHint?: string;
}

/** An organization's name, kind, role (when the draft has one) and optional jurisdiction. */
export function OrganizationFields({
  value,
  onChange,
  roles = ORG_ROLES,
  compact = false,
  jurisdictionHint = JURISDICTION_HINT,
}: OrganizationFieldsProps) {
  const name = (
    <TextField
      label={compact ? 'Name' : 'Organization name'}
      required
      maxLength={200}
      value={value.name}
      onChange={(name) => onChange({ ...value, name })}
    />
  );
  const details = (
    <>
      <SelectField
        label="Kind"
        value={value.kind}
        options={ORG_KINDS}
        labels={ORG_KIND_LABELS}
        onChange={(kind) => onChange({ ...value, kind })}
      />
      {value.role === undefined ? null : (
        <SelectField
          label={compact ? 'Role' : 'Role in the partnership'}
          value={value.role}
          options={roles}
          labels={ORG_ROLE_LABELS}
          onChange={(role) => onChange({ ...value, role })}
        />
      )}
      <TextField
        label="Jurisdiction (optional)"
        hint={jurisdictionHint}
        className="mono"
        autoCapitalize="characters"
        spellCheck={false}
        value={value.jurisdiction}
        onChange={(jurisdiction) => onChange({ ...value, jurisdiction })}
      />
    </>
  );
  return compact ? (
    <div className="field-row">
      {name}
      {details}
    </div>
  ) : (
    <>
      {name}
      <div className="field-row">{details}</div>
    </>
  );
}
