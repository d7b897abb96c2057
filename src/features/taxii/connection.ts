import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type Static, Type } from 'typebox';
import type { ServiceContext } from '../context.ts';
import type { Principal } from '../membership/index.ts';
import { listCollections } from './collections.ts';
import { intel } from './intel-port.ts';
import { apiRootUrl, baseUrlFor, TAXII_PREFIX } from './resources.ts';

export const COUNT_CAP = 10_000;

/** The answer of `GET /api/v1/taxii`: the server's addresses and each of the caller's collections. */
const ConnectionSchema = Type.Object({
  discoveryUrl: Type.String(),
  apiRootUrl: Type.String(),
  collections: Type.Array(
    Type.Object({
      id: Type.String(),
      title: Type.String(),
      description: Type.String(),
      canRead: Type.Boolean(),
      canWrite: Type.Boolean(),
      objectsUrl: Type.String(),
      /** Objects the actor sees in it (latest visible versions), by the one visibility rule;
       * counting stops past COUNT_CAP (then `objectsCapped`). */
      objects: Type.Integer({ minimum: 0 }),
      objectsCapped: Type.Boolean(),
    }),
  ),
});

export type TaxiiConnection = Static<typeof ConnectionSchema>;
export type CollectionSummary = TaxiiConnection['collections'][number];

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
      config: { tabella: { auth: 'member', scope: 'read' } },
      schema: {
        tags: ['taxii'],
        summary: "The TAXII server's addresses and the caller's collections with their visible object counts",
        response: { 200: ConnectionSchema },
      },
    },
    async (req, reply) => {
      void reply.header('vary', 'Host');
      return taxiiConnection(req.ctx, req.principal, baseUrlFor(req.ctx.config, req));
    },
  );
};
