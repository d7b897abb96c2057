import { TabellaError } from '../../core/errors.ts';
import { type Actor, canShare, tokenAllows } from '../../policy/index.ts';
import { uuidV5 } from '../../stix/index.ts';
import type { ServiceContext } from '../context.ts';
import type { Principal } from '../membership/index.ts';
import { type CollectionRef, type Distribution, intel } from './intel-port.ts';
import { STIX_MEDIA_TYPE } from './media.ts';

/**
 * The collections of an actor (docs/sharing.md "Collections"): Community, Public, the actor's own
 * organization and each sharing group it belongs to. Their ids are UUIDv5 names in a namespace of
 * ours, so they are stable across restarts and nodes without being stored.
 */
const COLLECTION_NAMESPACE = '4d1f8c2a-6b1e-5c3d-9a7f-0e2b7c9d1a55';

export interface TaxiiCollection {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly ref: CollectionRef;
  readonly canRead: boolean;
  readonly canWrite: boolean;
}

/** TAXII 2.1 §5.2.1 collection resource. */
export interface CollectionResource {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly can_read: boolean;
  readonly can_write: boolean;
  readonly media_types: readonly string[];
}

export function collectionId(ref: CollectionRef, orgId?: string): string {
  switch (ref.kind) {
    case 'community':
      return uuidV5(COLLECTION_NAMESPACE, 'community');
    case 'public':
      return uuidV5(COLLECTION_NAMESPACE, 'public');
    case 'org':
      return uuidV5(COLLECTION_NAMESPACE, `org:${orgId ?? ''}`);
    case 'group':
      return uuidV5(COLLECTION_NAMESPACE, `group:${ref.groupId}`);
  }
}

/**
 * Whether the actor may add objects to a collection (TAXII `can_write`): the sharing policy's
 * "who may share at all"; the intel service still decides each object (TLP against distribution).
 */
/** TAXII `can_write`: the member's roles allow sharing, and a token has the `share` scope. */
function canWrite(actor: Actor): boolean {
  return actor.kind === 'member' && canShare(actor) && tokenAllows(actor, ['share']);
}

/** What writing into a collection shares with (docs/sharing.md "Collections"). */
export function distributionOf(ref: CollectionRef): Distribution {
  switch (ref.kind) {
    case 'community':
      return { kind: 'community' };
    case 'public':
      return { kind: 'public' };
    case 'org':
      return { kind: 'org' };
    case 'group':
      return { kind: 'group', groupId: ref.groupId };
  }
}

export async function listCollections(
  ctx: ServiceContext,
  principal: Principal | undefined,
): Promise<TaxiiCollection[]> {
  const actor = ctx.actor;
  const make = (ref: CollectionRef, title: string, description: string): TaxiiCollection => ({
    id: collectionId(ref, principal?.organization.id),
    title,
    description,
    ref,
    canRead: true,
    canWrite: canWrite(actor),
  });
  const pub = make(
    { kind: 'public' },
    'Public',
    'TLP:CLEAR intelligence shared with everyone; readable without signing in.',
  );
  if (actor.kind !== 'member' || principal === undefined) return [pub];
  const groups = await intel.listGroups(ctx);
  return [
    make({ kind: 'community' }, 'Community', 'Intelligence shared with every vetted member organization.'),
    pub,
    make(
      { kind: 'org' },
      principal.organization.name,
      'Intelligence your organization shared, and what others shared with it by name.',
    ),
    ...groups
      .filter((g) => g.orgIds.includes(actor.orgId))
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((g) =>
        make({ kind: 'group', groupId: g.id }, g.name, 'Intelligence shared within this sharing group.'),
      ),
  ];
}

/** The collection with this id among the actor's, or 404 (401 when anonymous: it may be theirs). */
export async function findCollection(
  ctx: ServiceContext,
  principal: Principal | undefined,
  id: string,
): Promise<TaxiiCollection> {
  const found = (await listCollections(ctx, principal)).find((c) => c.id === id.toLowerCase());
  if (found !== undefined) return found;
  if (ctx.actor.kind !== 'member') {
    throw new TabellaError('UNAUTHENTICATED', 'send HTTP Basic <e-mail>:<api token> or a Bearer token');
  }
  throw new TabellaError('NOT_FOUND', 'collection not found');
}

export function toCollectionResource(c: TaxiiCollection): CollectionResource {
  return {
    id: c.id,
    title: c.title,
    description: c.description,
    can_read: c.canRead,
    can_write: c.canWrite,
    media_types: [STIX_MEDIA_TYPE],
  };
}
