import { countObjects, deleteObject, listGroups, listObjects, shareObjects } from '../intel/index.ts';

/**
 * The part of the intel service (docs/sharing.md "Service API") the TAXII server calls — and
 * nothing else: every read goes through `listObjects`, which applies the one visibility rule in
 * SQL, so TAXII pages, `more`, `next` and the date headers never reveal an invisible version.
 */
export const intel = { listObjects, countObjects, shareObjects, deleteObject, listGroups } as const;

export type { Distribution } from '../../policy/index.ts';
export type { CollectionRef, IntelVersion, ObjectQuery, Page } from '../intel/index.ts';
