import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ServiceContext } from '../context.ts';
import type { Principal } from '../membership/index.ts';
import { listCollections } from './collections.ts';
import { intel } from './intel-port.ts';
import { apiRootUrl, baseUrlFor, TAXII_PREFIX } from './resources.ts';

export const COUNT_CAP = 10_000;

/** One of the actor's TAXII collections, with what a member needs to point a tool at it. */
export interface CollectionSummary {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly canRead: boolean;
  readonly canWrite: boolean;
  /** The collection's objects endpoint. */
  readonly objectsUrl: string;
  /** Objects the actor sees in it (latest visible versions), by the one visibility rule; counting
   * stops past COUNT_CAP (then `objectsCapped`). */
  readonly objects: number;
  readonly objectsCapped: boolean;
}

export interface TaxiiConnection {
  readonly discoveryUrl: string;
  readonly apiRootUrl: string;
  readonly collections: readonly CollectionSummary[];
}

/**
 * What the web app's "TAXII feeds" page shows: where the server is and the actor's collections,
 * each with the number of objects the actor sees in it — counted by the same query TAXII pages.
 */
export async function taxiiConnection(
  ctx: ServiceContext,
  principal: Principal | undefined,
  base: string = ctx.config.publicUrl,
): Promise<TaxiiConnection> {
  const root = apiRootUrl(base);
  const collections = await listCollections(ctx, principal);
  const summaries: CollectionSummary[] = [];
  for (const c of collections) {
    const n = await intel.countObjects(ctx, { collection: c.ref, versions: 'last', order: 'asc' }, COUNT_CAP);
    summaries.push({
      id: c.id,
      title: c.title,
      description: c.description,
      canRead: c.canRead,
      canWrite: c.canWrite,
      objectsUrl: `${root}collections/${c.id}/objects/`,
      objects: Math.min(n, COUNT_CAP),
      objectsCapped: n > COUNT_CAP,
    });
  }
  return {
    discoveryUrl: `${base}${TAXII_PREFIX}/`,
    apiRootUrl: root,
    collections: summaries,
  };
}

/** `GET /api/v1/taxii`: the REST view of the actor's TAXII collections (for the web app). */
export const taxiiConnectionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/taxii',
    {
      config: { tabella: { auth: 'member' } },
      schema: {
        tags: ['taxii'],
        summary: "The TAXII server's addresses and the caller's collections with their visible object counts",
      },
    },
    async (req, reply) => {
      void reply.header('vary', 'Host');
      return taxiiConnection(req.ctx, req.principal, baseUrlFor(req.ctx.config, req));
    },
  );
};
