import type { OrgKind, OrgRole } from '../api/types.ts';

/**
 * The forms a jurisdiction takes (src/core/jurisdiction.ts; the server checks it): a country
 * (ISO 3166-1), a state or province (ISO 3166-2) or a US county by its FIPS code.
 */
export const JURISDICTION_HINT = 'A country (US), ISO 3166-2 code (US-NC) or US county FIPS code (US-NC-063)';

/** An organization as typed into a form, before it is sent. */
export interface OrganizationDraft {
  readonly name: string;
  readonly kind: OrgKind;
  readonly jurisdiction: string;
  /** Absent where the form does not ask for it (the operator organization made at setup). */
  readonly role?: OrgRole;
}

/** What the API takes for a draft: the name trimmed, the jurisdiction upper-cased and only when given. */
export function organizationRequest({ name, kind, role, jurisdiction }: OrganizationDraft) {
  const code = jurisdiction.trim();
  return {
    name: name.trim(),
    kind,
    ...(role === undefined ? {} : { role }),
    ...(code === '' ? {} : { jurisdiction: code.toUpperCase() }),
  };
}
