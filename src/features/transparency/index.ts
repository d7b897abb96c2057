export { type AuditEventView, searchAuditTrail } from './audit-trail.ts';
export { entryBytes, eventDigest, type PublicEntry, publicEntry } from './entry.ts';
export { canonicalEntryV1, detailsDigest, type PublicEntryV1 } from './entry-v1.ts';
export { ENTRY_FACETS, type FacetValue } from './facets.ts';
export {
  bindLogIdentity,
  checkLogIdentity,
  type LogIdentity,
  type LogIdentityReport,
} from './log-identity.ts';
export { keySourceLabel, LOG_KEY_FILE } from './log-key.ts';
export {
  type CheckedReceipt,
  checkReceipt,
  isReceiptCheckError,
  type ReceiptCheckCode,
  ReceiptCheckError,
} from './receipt-check.ts';
export { getReceipt, type Receipt, type ReceiptFormat } from './receipts.ts';
export { transparencyRoutes } from './routes.ts';
export { LogRuntime } from './runtime.ts';
export { Sequencer } from './sequencer.ts';
export { listWitnesses, registerWitness, submitCosignature } from './witness-service.ts';
