import { uuidV5 } from '../../stix/index.ts';

/** A fixed namespace for the STIX identities Tabella publishes for its organizations. */
const ORG_IDENTITY_NAMESPACE = '8d2f0c9e-6b1a-5f3e-9c47-2a1b7e6d4c10';

/**
 * The STIX identity of an organization (`created_by_ref` of what it shares): deterministic, so
 * every door names the organization the same way (STIX 2.1 §4.9).
 */
export function orgIdentityId(orgId: string): string {
  return `identity--${uuidV5(ORG_IDENTITY_NAMESPACE, orgId)}`;
}
