import { ApiError } from './client.ts';

// Human messages for the API's error codes (docs/errors.md). The UI shows these, never the raw
// server text, except to name the offending fields of a validation error.
const MESSAGES: Readonly<Record<string, string>> = {
  BAD_REQUEST: 'The request was not understood.',
  VALIDATION_FAILED: 'Some of the values entered are not valid.',
  MALFORMED_JSON: 'The request was not understood.',
  INVALID_JURISDICTION:
    'The jurisdiction must be a country code (US), an ISO 3166-2 code (US-NC, CA-ON) or a US county code (US-NC-063).',
  INVALID_TOTP: 'That authentication code is not valid. Check the time on your device and try again.',
  WEAK_PASSWORD: 'That password is too weak. Use a longer passphrase.',
  NAME_INVALID_CHARACTERS:
    'Names cannot contain invisible characters (zero-width spaces or joiners, text-direction controls, control characters). Retype the name.',
  UNAUTHENTICATED: 'Please sign in.',
  INVALID_CREDENTIALS: 'The e-mail address or password is incorrect.',
  MFA_REQUIRED: 'Enter the code from your authenticator app.',
  SESSION_EXPIRED: 'Your session has expired. Please sign in again.',
  TOKEN_INVALID: 'The token is not valid.',
  FORBIDDEN: 'You are not allowed to do that.',
  CSRF_FAILED: 'Your session could not be verified. Reload the page and try again.',
  MFA_ENROLLMENT_REQUIRED: 'Set up two-factor authentication before you continue.',
  SELF_ROLE_CHANGE: 'You cannot change your own roles or status. Ask another admin.',
  MEMBER_SUSPENDED: 'This account is suspended.',
  ORG_SUSPENDED: 'This organization is suspended.',
  SETUP_CODE_INVALID:
    'That setup code is not right. Use the code the server printed when it started (also in the setup-code file of its data directory).',
  NOT_FOUND: 'Not found, or you do not have access to it.',
  CONFLICT: 'That conflicts with the current state. Reload and try again.',
  EMAIL_TAKEN:
    'That e-mail address is already registered. If its invitation was lost, resend or revoke it from the members list.',
  ORG_NAME_TAKEN: 'An organization with that name already exists.',
  NAME_CONFUSABLE:
    "That name looks too much like another organization's name (letters that look alike, case, spacing and punctuation are not told apart). Choose a more distinct name.",
  RENAME_NOT_PENDING: 'This organization has no rename waiting any more. Reload the page.',
  SETUP_ALREADY_DONE: 'Tabella has already been set up. Sign in instead.',
  MFA_ALREADY_ENROLLED: 'Two-factor authentication is already set up for this account.',
  INVITATION_INVALID: 'This invitation link is invalid, expired or already used.',
  RESET_LINK_INVALID:
    'This reset link is invalid, expired, replaced by a newer one or already used. Ask your administrator for a new one.',
  INVITATION_NOT_PENDING:
    'This member has no pending invitation: they have joined already, or are suspended (reactivate them first).',
  EVENT_NOT_LOGGED: 'That event is not in the transparency log yet. Try again in a moment.',
  INVALID_SIGNATURE: 'The signature or key is not valid.',
  PAYLOAD_TOO_LARGE: 'The request is too large.',
  ACCOUNT_LOCKED: 'Too many failed attempts. The account is locked for a while.',
  RATE_LIMITED: 'Too many requests. Wait a moment and try again.',
  INTERNAL: 'Something went wrong on the server.',
  SERVICE_UNAVAILABLE: 'The service is unavailable right now. Try again shortly.',
  NETWORK: 'The server could not be reached. Check your connection.',
};

/** The sentence to show a person for an error thrown by an API call. */
export function describeError(error: unknown, overrides: Readonly<Record<string, string>> = {}): string {
  if (!(error instanceof ApiError)) return 'Something went wrong.';
  let text = overrides[error.code] ?? MESSAGES[error.code] ?? `The request failed (${error.code}).`;
  if (error.code === 'ACCOUNT_LOCKED' && error.retryAfterSeconds !== null) {
    text = `Too many failed attempts. Try again in ${formatWait(error.retryAfterSeconds)}.`;
  }
  if (
    (error.code === 'VALIDATION_FAILED' || error.code === 'NAME_INVALID_CHARACTERS') &&
    error.fields.length > 0
  )
    text += ` Check: ${error.fields.map(fieldLabel).join(', ')}.`;
  return text;
}

function formatWait(seconds: number): string {
  if (seconds < 90) return `${Math.ceil(seconds)} seconds`;
  return `${Math.ceil(seconds / 60)} minutes`;
}

/** "/admin/email" or "admin.email" → "email". */
function fieldLabel(path: string): string {
  const last =
    path
      .split(/[./]/)
      .filter((p) => p !== '')
      .pop() ?? path;
  return last.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

export function errorCode(error: unknown): string | null {
  return error instanceof ApiError ? error.code : null;
}
