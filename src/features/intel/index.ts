export { type ExportQuery, exportStream } from './export-stream.ts';
export type { BlocklistKind, ExportFormat } from './exports.ts';
export {
  createGroup,
  deleteGroup,
  getGroup,
  listGroups,
  type SharingGroup,
  updateGroup,
} from './group-service.ts';
export { orgIdentityId } from './identity.ts';
export { deleteObject, isVisible, relayObject } from './manage-service.ts';
export { type CollectionRef, encodeCursor, intelQuery, type ObjectQuery } from './query.ts';
export {
  countObjects,
  getObject,
  listObjects,
  listRelationships,
  listVersions,
  MAX_PAGE,
} from './read-service.ts';
export {
  type ShareFailure,
  type ShareInput,
  type ShareResult,
  type Source,
  shareObjects,
  type VersionRef,
} from './share-service.ts';
export { countStoredSince } from './stored-since.ts';
export { displayTimestamp, normalizeTimestamp } from './timestamps.ts';
export { type IntelVersion, type Page, toIntelVersion } from './views.ts';
