import { TabellaError } from '../../core/errors.ts';
import type { ServiceContext } from '../context.ts';
import type { TaxiiCollection } from './collections.ts';
import { MAX_PAGE, type TaxiiFilter } from './filters.ts';
import { type IntelVersion, intel, type ObjectQuery, type Page } from './intel-port.ts';
import { STIX_MEDIA_TYPE } from './media.ts';
import { recordPull } from './pull-audit.ts';

/** A TAXII answer and its `X-TAXII-Date-Added-First`/`-Last` values (TAXII 2.1 §3.4.1, §5.3). */
export interface TaxiiAnswer<T> {
  readonly body: T;
  readonly first?: string;
  readonly last?: string;
}

/** TAXII 2.1 §3.7 envelope; `objects` is left out when there are none ("one or more"). */
export interface Envelope<T> {
  readonly more: boolean;
  readonly next?: string;
  readonly objects?: readonly T[];
}

/** TAXII 2.1 §5.6.1 manifest-record. */
export interface ManifestRecord {
  readonly id: string;
  readonly date_added: string;
  readonly version: string;
  readonly media_type: string;
}

const STIX_ID_RE =
  /^[a-z][a-z0-9-]{0,249}--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** TAXII 2.1 §3.1: an object's version is `modified`, else `created`, else its `date_added`. */
export function versionOf(v: IntelVersion): string {
  return v.modified ?? v.created ?? v.dateAdded;
}

function query(collection: TaxiiCollection, f: TaxiiFilter, extra: Partial<ObjectQuery> = {}): ObjectQuery {
  return {
    collection: collection.ref,
    types: f.types,
    ids: f.ids,
    versions: f.versions,
    specVersions: f.specVersions,
    addedAfter: f.addedAfter,
    limit: f.limit,
    cursor: f.cursor,
    order: 'asc',
    ...extra,
  };
}

function answer<T>(
  page: Page<IntelVersion>,
  list: (items: IntelVersion[]) => Record<string, unknown>,
): TaxiiAnswer<T> {
  const first = page.items[0]?.dateAdded;
  const last = page.items.at(-1)?.dateAdded;
  const body = {
    more: page.next !== null,
    ...(page.next === null ? {} : { next: page.next }),
    ...(page.items.length === 0 ? {} : list(page.items)),
  } as T;
  return { body, ...(first === undefined ? {} : { first }), ...(last === undefined ? {} : { last }) };
}

/** The object, visible to the actor in this collection in some version, or 404 like a missing one. */
async function assertObjectInCollection(ctx: ServiceContext, collection: TaxiiCollection, id: string) {
  if (STIX_ID_RE.test(id)) {
    const page = await intel.listObjects(
      ctx,
      { collection: collection.ref, ids: [id], versions: 'all', limit: 1 },
      'none',
    );
    if (page.items.length > 0) return;
  }
  throw new TabellaError('NOT_FOUND', 'object not found');
}

/** TAXII 2.1 §5.3 Get Objects. */
export async function getObjects(
  ctx: ServiceContext,
  collection: TaxiiCollection,
  f: TaxiiFilter,
): Promise<TaxiiAnswer<Envelope<Record<string, unknown>>>> {
  const page = await intel.listObjects(ctx, query(collection, f));
  await recordPull(ctx, collection, 'objects', page.items.length);
  return answer(page, (items) => ({ objects: items.map((v) => v.object) }));
}

/** TAXII 2.1 §5.6 Get Object Manifests: the same selection as Get Objects, as records. */
export async function getManifest(
  ctx: ServiceContext,
  collection: TaxiiCollection,
  f: TaxiiFilter,
): Promise<TaxiiAnswer<Envelope<ManifestRecord>>> {
  // Manifests carry no content, so they are not audited as reads of it.
  const page = await intel.listObjects(ctx, query(collection, f), 'none');
  return answer(page, (items) => ({
    objects: items.map((v) => ({
      id: v.stixId,
      date_added: v.dateAdded,
      version: versionOf(v),
      media_type: STIX_MEDIA_TYPE,
    })),
  }));
}

/** TAXII 2.1 §5.5 Get an Object: its versions the filters select (the latest by default). */
export async function getObject(
  ctx: ServiceContext,
  collection: TaxiiCollection,
  id: string,
  f: TaxiiFilter,
): Promise<TaxiiAnswer<Envelope<Record<string, unknown>>>> {
  await assertObjectInCollection(ctx, collection, id);
  const page = await intel.listObjects(ctx, query(collection, f, { ids: [id] }));
  await recordPull(ctx, collection, 'object', page.items.length);
  return answer(page, (items) => ({ objects: items.map((v) => v.object) }));
}

/** TAXII 2.1 §5.8 Get Object Versions: oldest first. */
export async function getVersions(
  ctx: ServiceContext,
  collection: TaxiiCollection,
  id: string,
  f: TaxiiFilter,
): Promise<TaxiiAnswer<{ more: boolean; next?: string; versions?: string[] }>> {
  await assertObjectInCollection(ctx, collection, id);
  const page = await intel.listObjects(
    ctx,
    query(collection, f, { ids: [id], versions: 'all', orderBy: 'version' }),
    'none',
  );
  return answer(page, (items) => ({ versions: items.map(versionOf) }));
}

/**
 * TAXII 2.1 §5.7 Delete an Object: all its versions, or those `match[version]` and
 * `match[spec_version]` select. Only the owner's objects; anyone else's is a 404 like a missing one.
 */
export async function deleteObject(
  ctx: ServiceContext,
  collection: TaxiiCollection,
  id: string,
  f: TaxiiFilter,
): Promise<void> {
  await assertObjectInCollection(ctx, collection, id);
  if ((f.versions === undefined || f.versions === 'all') && f.specVersions === undefined) {
    await intel.deleteObject(ctx, id);
    return;
  }
  const page = await intel.listObjects(
    ctx,
    query(
      collection,
      { ...f, limit: MAX_PAGE },
      { ids: [id], versions: f.versions ?? 'all', cursor: undefined },
    ),
    'none',
  );
  if (page.items.length === 0) throw new TabellaError('NOT_FOUND', 'object version not found');
  for (const v of page.items) await intel.deleteObject(ctx, id, v.modified ?? undefined);
}
