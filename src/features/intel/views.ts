import type { Selectable } from 'kysely';
import type { IntelObjectsTable } from '../../db/schema.ts';
import type { DistributionKind, EffectiveTlp } from '../../policy/index.ts';
import { displayTimestamp } from './timestamps.ts';

/** One stored object version as every door shows it (docs/sharing.md). */
export interface IntelVersion {
  readonly stixId: string;
  readonly type: string;
  readonly specVersion: string;
  readonly created: string | null;
  readonly modified: string | null;
  readonly dateAdded: string;
  readonly ownerOrgId: string;
  readonly ownerOrgName: string;
  readonly source: string;
  readonly tlp: EffectiveTlp;
  readonly distribution: DistributionKind;
  readonly groupId: string | null;
  readonly revoked: boolean;
  /** The STIX object exactly as shared (attacker-controlled content). */
  readonly object: Record<string, unknown>;
}

/**
 * A stored version as the intel query selects it; in a group's collection also the date it entered
 * that collection (query.ts `addedSql`), which is the `date_added` shown there.
 */
export type IntelRow = Selectable<IntelObjectsTable> & {
  owner_name: string;
  collection_date_added?: string;
};

/** When the row was added, as the collection it was read from sees it. */
export const addedAt = (row: IntelRow): string => row.collection_date_added ?? row.date_added;

export function toIntelVersion(row: IntelRow): IntelVersion {
  return {
    stixId: row.stix_id,
    type: row.type,
    specVersion: row.spec_version,
    created: row.created,
    modified: row.modified,
    dateAdded: displayTimestamp(addedAt(row)),
    ownerOrgId: row.owner_org_id,
    ownerOrgName: row.owner_name,
    source: row.source,
    tlp: row.tlp as EffectiveTlp,
    distribution: row.distribution as DistributionKind,
    groupId: row.group_id,
    revoked: row.revoked === 1,
    object: JSON.parse(row.data) as Record<string, unknown>,
  };
}

export interface Page<T> {
  readonly items: T[];
  readonly next: string | null;
}
