import { invalid, TabellaError } from '../../core/errors.ts';
import { normalizeJurisdiction } from '../../core/jurisdiction.ts';
import { normalizeName } from '../../core/names.ts';
import {
  ACCESS_TIERS,
  type AccessTier,
  isOneOf,
  MEMBER_ROLES,
  type MemberRole,
  ORG_KINDS,
  ORG_ROLES,
  ORG_STATUSES,
  type OrgKind,
  type OrgRole,
  type OrgStatus,
} from '../../policy/index.ts';

/**
 * Domain checks shared by the HTTP routes (after schema validation) and the CLI (which has no
 * schema in front of it). All inputs here are attacker-controlled.
 */
export function checkOrgKind(value: unknown, field = 'kind'): OrgKind {
  if (!isOneOf(ORG_KINDS, value)) throw invalid(field, `must be one of ${ORG_KINDS.join(', ')}`);
  return value;
}

export function checkOrgRole(value: unknown, field = 'role'): OrgRole {
  if (!isOneOf(ORG_ROLES, value)) throw invalid(field, `must be one of ${ORG_ROLES.join(', ')}`);
  return value;
}

export function checkOrgStatus(value: unknown, field = 'status'): OrgStatus {
  if (!isOneOf(ORG_STATUSES, value)) throw invalid(field, `must be one of ${ORG_STATUSES.join(', ')}`);
  return value;
}

export function checkJurisdiction(value: string | null | undefined, field = 'jurisdiction'): string | null {
  if (value === undefined || value === null || value === '') return null;
  const code = normalizeJurisdiction(value);
  if (code === undefined) {
    throw new TabellaError(
      'INVALID_JURISDICTION',
      `${field}: not an ISO 3166-2 subdivision, ISO 3166-1 country or US county (US-NC-063) code`,
      {
        fields: [field],
      },
    );
  }
  return code;
}

/**
 * A name in its canonical form (core/names.ts: NFKC, whitespace collapsed), refusing invisible and
 * format characters with `NAME_INVALID_CHARACTERS` so that what is stored is what people see.
 */
export function checkName(value: unknown, field: string, max = 200): string {
  if (typeof value !== 'string') throw invalid(field, 'must be a string');
  const checked = normalizeName(value, max);
  if (checked.ok) return checked.name;
  switch (checked.problem) {
    case 'length':
      throw invalid(field, `must be 1 to ${max} characters`);
    case 'invisible':
      throw new TabellaError(
        'NAME_INVALID_CHARACTERS',
        `${field}: must not contain control, format (zero-width, bidirectional) or invisible characters`,
        { fields: [field] },
      );
  }
}

// A pragmatic address check (RFC 5321 limits; one @, a dotted domain); delivery is what proves it.
const EMAIL_RE =
  /^[^\s@<>()[\]\\,;:"]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

export function checkEmail(value: unknown, field = 'email'): string {
  if (
    typeof value !== 'string' ||
    value.length > 254 ||
    /\p{Cc}/u.test(value) ||
    !EMAIL_RE.test(value.trim())
  ) {
    throw invalid(field, 'must be an e-mail address');
  }
  return value.trim().toLowerCase();
}

export function checkRoles(value: unknown, field = 'roles'): readonly MemberRole[] {
  if (!Array.isArray(value) || value.length === 0) throw invalid(field, 'must list at least one role');
  for (const [i, r] of value.entries()) {
    if (!isOneOf(MEMBER_ROLES, r))
      throw invalid(`${field}[${i}]`, `must be one of ${MEMBER_ROLES.join(', ')}`);
  }
  // Stored in the vocabulary's order, without duplicates, so equal role sets compare equal.
  return MEMBER_ROLES.filter((r) => (value as unknown[]).includes(r));
}

export function checkTier(value: unknown, field = 'tier'): AccessTier {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (!isOneOf(ACCESS_TIERS, n)) throw invalid(field, 'must be 1 or 2');
  return n;
}
