export { type AuditEventView, searchAuditTrail } from './audit-trail.ts';
export { detailsDigest, entryBytes, type PublicEntry, publicEntry } from './entry.ts';
export { LOG_KEY_FILE, loadOrCreateLogSigner } from './log-key.ts';
export { getReceipt, type Receipt } from './receipts.ts';
export { transparencyRoutes } from './routes.ts';
export { LogRuntime } from './runtime.ts';
export { Sequencer } from './sequencer.ts';
export { listWitnesses, registerWitness, submitCosignature } from './witness-service.ts';
