import type { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { TabellaError } from '../../core/errors.ts';
import { type Distribution, isTlp, TLPS } from '../../policy/index.ts';
import { addressKey } from '../membership/index.ts';
import { ExportLimiter } from './export-limits.ts';
import { exportStream } from './export-stream.ts';
import type { BlocklistKind, ExportFormat } from './exports.ts';
import { createGroup, deleteGroup, getGroup, listGroups, updateGroup } from './group-service.ts';
import { deleteObject, relayObject } from './manage-service.ts';
import type { ObjectQuery } from './query.ts';
import { getObject, listObjects, listRelationships, listVersions, MAX_PAGE } from './read-service.ts';
import { shareObjects } from './share-service.ts';

const READ = { tabella: { auth: 'member', scope: 'read' } } as const;
const SHARE = { tabella: { auth: 'member', scope: 'share' } } as const;
// Exports are public data too: anonymous callers get the public objects (the visibility rule's
// anonymous actor), rate-limited per address; a token needs `feeds`, the only scope taken as ?token=.
const EXPORT = { tabella: { auth: 'optional', tokenInQuery: true, scope: 'feeds' } } as const;
const EXPORT_DESCRIPTION =
  'Every object the caller may see that matches the filters — no cap — streamed page by page from a ' +
  'keyset cursor, oldest first. A failure after the first byte aborts the transfer (no valid file is ' +
  'ever cut short). Each member may run TABELLA_EXPORT_CONCURRENCY exports at a time (default 2) and ' +
  'start TABELLA_EXPORT_RATE_LIMIT per minute (default 30); beyond that 429 RATE_LIMITED with ' +
  'Retry-After. For increments, filter with added_after. Audited once as intel.export. Without ' +
  'credentials it answers the public objects only (TLP:CLEAR, public distribution), with the same ' +
  'limits per client address, unaudited. A token needs the feeds scope; ?token= takes feeds tokens only.';
const StixId = Type.Object({ id: Type.String({ minLength: 3, maxLength: 300 }) });

const DistributionSchema = Type.Union([
  Type.Object({ kind: Type.Literal('org') }, { additionalProperties: false }),
  Type.Object(
    {
      kind: Type.Literal('orgs'),
      orgIds: Type.Array(Type.String({ maxLength: 100 }), { minItems: 1, maxItems: 500 }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('group'),
      groupId: Type.String({ maxLength: 100 }),
      futureMembers: Type.Optional(
        Type.Boolean({
          description:
            'Let organizations that join the group later read this too (default false: the audience is the group as it is now).',
        }),
      ),
    },
    { additionalProperties: false },
  ),
  Type.Object({ kind: Type.Literal('community') }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('public') }, { additionalProperties: false }),
]);

const ListQuery = Type.Object(
  {
    type: Type.Optional(Type.String({ maxLength: 200 })),
    tlp: Type.Optional(Type.String({ maxLength: 100 })),
    org: Type.Optional(Type.String({ maxLength: 100 })),
    q: Type.Optional(Type.String({ maxLength: 200 })),
    added_after: Type.Optional(Type.String({ maxLength: 40 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE })),
    cursor: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
interface ListQueryT {
  readonly type?: string | undefined;
  readonly tlp?: string | undefined;
  readonly org?: string | undefined;
  readonly q?: string | undefined;
  readonly added_after?: string | undefined;
  readonly limit?: number | undefined;
  readonly cursor?: string | undefined;
}

function toQuery(q: ListQueryT, order: 'asc' | 'desc', limit: number): ObjectQuery {
  const split = (s: string | undefined) =>
    s === undefined || s === ''
      ? undefined
      : s
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean);
  const tlp = split(q.tlp);
  if (tlp !== undefined && !tlp.every(isTlp)) {
    throw new TabellaError('VALIDATION_FAILED', `tlp: one or more of ${TLPS.join(', ')}`, {
      fields: ['tlp'],
    });
  }
  return {
    types: split(q.type),
    tlp: tlp as ObjectQuery['tlp'],
    ownerOrgId: q.org,
    text: q.q,
    addedAfter: q.added_after,
    cursor: q.cursor,
    limit: q.limit ?? limit,
    order,
  };
}

export const intelRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/intel',
    {
      config: READ,
      schema: {
        tags: ['intel'],
        summary: 'Browse and search visible intelligence (latest visible versions, newest first)',
        querystring: ListQuery,
      },
    },
    async (req) => listObjects(req.ctx, toQuery(req.query, 'desc', 50)),
  );

  app.post(
    '/api/v1/intel',
    {
      config: SHARE,
      schema: {
        tags: ['intel'],
        summary: 'Share STIX 2.1 objects (or a bundle) under a TLP and a distribution',
        body: Type.Object(
          {
            objects: Type.Optional(Type.Array(Type.Unknown(), { maxItems: 100_000 })),
            bundle: Type.Optional(
              Type.Object({
                type: Type.Literal('bundle'),
                id: Type.Optional(Type.String()),
                objects: Type.Array(Type.Unknown()),
              }),
            ),
            tlp: Type.Optional(Type.Enum([...TLPS])),
            distribution: DistributionSchema,
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => {
      const objects = [...(req.body.objects ?? []), ...(req.body.bundle?.objects ?? [])];
      if (objects.length === 0)
        throw new TabellaError('VALIDATION_FAILED', 'objects: nothing to share', { fields: ['objects'] });
      return shareObjects(req.ctx, {
        objects,
        source: req.ctx.actor.kind === 'member' && req.ctx.actor.via === 'session' ? 'web' : 'rest',
        distribution: req.body.distribution as Distribution,
        defaultTlp: req.body.tlp,
      });
    },
  );

  app.get(
    '/api/v1/intel/:id',
    {
      config: READ,
      schema: { tags: ['intel'], summary: 'The latest visible version of an object', params: StixId },
    },
    async (req) => getObject(req.ctx, req.params.id),
  );

  app.get(
    '/api/v1/intel/:id/versions',
    {
      config: READ,
      schema: { tags: ['intel'], summary: 'Visible versions, oldest first', params: StixId },
    },
    async (req) => ({ items: await listVersions(req.ctx, req.params.id) }),
  );

  app.get(
    '/api/v1/intel/:id/relationships',
    {
      config: READ,
      schema: {
        tags: ['intel'],
        summary: 'Visible relationships and sightings that reference the object',
        params: StixId,
      },
    },
    async (req) => ({ items: await listRelationships(req.ctx, req.params.id) }),
  );

  app.delete(
    '/api/v1/intel/:id',
    {
      config: SHARE,
      schema: {
        tags: ['intel'],
        summary: 'Delete your own object (all versions, or one)',
        params: StixId,
        querystring: Type.Object(
          { version: Type.Optional(Type.String({ maxLength: 40 })) },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) => {
      await deleteObject(req.ctx, req.params.id, req.query.version);
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/v1/intel/:id/relay',
    {
      config: SHARE,
      schema: {
        tags: ['intel'],
        summary: 'Relay an object you received into one of your sharing groups (can only narrow)',
        params: StixId,
        body: Type.Object({ distribution: DistributionSchema }, { additionalProperties: false }),
      },
    },
    async (req, reply) => {
      await relayObject(req.ctx, req.params.id, req.body.distribution as Distribution);
      return reply.code(204).send();
    },
  );

  const GroupBody = Type.Object(
    {
      name: Type.String({ minLength: 1, maxLength: 200 }),
      orgIds: Type.Array(Type.String({ maxLength: 100 }), { maxItems: 500 }),
    },
    { additionalProperties: false },
  );
  app.get(
    '/api/v1/groups',
    { config: READ, schema: { tags: ['groups'], summary: 'Sharing groups your organization belongs to' } },
    async (req) => ({
      items: await listGroups(req.ctx),
    }),
  );
  app.post(
    '/api/v1/groups',
    { config: SHARE, schema: { tags: ['groups'], summary: 'Create a sharing group', body: GroupBody } },
    async (req, reply) => reply.code(201).send(await createGroup(req.ctx, req.body)),
  );
  app.get('/api/v1/groups/:id', { config: READ, schema: { tags: ['groups'], params: StixId } }, async (req) =>
    getGroup(req.ctx, req.params.id),
  );
  app.patch(
    '/api/v1/groups/:id',
    {
      config: SHARE,
      schema: {
        tags: ['groups'],
        params: StixId,
        body: Type.Partial(GroupBody, { additionalProperties: false, minProperties: 1 }),
      },
    },
    async (req) => updateGroup(req.ctx, req.params.id, req.body),
  );
  app.delete(
    '/api/v1/groups/:id',
    { config: SHARE, schema: { tags: ['groups'], params: StixId } },
    async (req, reply) => {
      await deleteGroup(req.ctx, req.params.id);
      return reply.code(204).send();
    },
  );

  const ExportQuery = Type.Object(
    {
      ...Type.Omit(ListQuery, ['limit']).properties,
      kind: Type.Optional(Type.Enum(['ip', 'domain', 'url', 'hash'])),
      token: Type.Optional(Type.String({ maxLength: 200 })),
    },
    { additionalProperties: false },
  );
  const exports = new ExportLimiter();
  const EXPORTS: readonly {
    path: string;
    format: (q: { kind?: string | undefined }) => ExportFormat;
    type: string;
    disposition?: string;
    summary: string;
    body: string;
  }[] = [
    {
      path: '/api/v1/exports/stix',
      format: () => ({ kind: 'stix' }),
      type: 'application/stix+json;version=2.1',
      summary: 'Visible intelligence as a STIX 2.1 bundle',
      body: 'A STIX 2.1 bundle of every visible object (latest visible versions), oldest first, one object per line.',
    },
    {
      path: '/api/v1/exports/csv',
      format: () => ({ kind: 'csv' }),
      type: 'text/csv; charset=utf-8',
      disposition: 'attachment; filename="tabella-intel.csv"',
      summary: 'Visible intelligence as CSV',
      body: 'RFC 4180 CSV: a header record, then one record per visible object, oldest first.',
    },
    {
      path: '/api/v1/exports/blocklist',
      format: (q) => ({ kind: 'blocklist', list: (q.kind ?? 'ip') as BlocklistKind }),
      type: 'text/plain; charset=utf-8',
      summary: 'A plain blocklist (one value per line) for firewalls and DNS filters',
      body: 'One value per line, de-duplicated, in the order first seen (objects oldest first).',
    },
  ];
  for (const e of EXPORTS) {
    app.get(
      e.path,
      {
        config: EXPORT,
        schema: {
          tags: ['exports'],
          summary: e.summary,
          description: EXPORT_DESCRIPTION,
          querystring: ExportQuery,
          response: {
            // The body is a stream (Fastify sends it as is); the schema documents it.
            200: Type.Unsafe<Readable>({
              description: `${e.body} Complete (no cap) and streamed; a failure part-way aborts the transfer.`,
              content: { [e.type.split(';')[0] ?? e.type]: { schema: { type: 'string' } } },
            }),
          },
        },
      },
      async (req, reply) => {
        const { limit: _, ...query } = toQuery(req.query, 'asc', MAX_PAGE);
        const format = e.format(req.query);
        const actor = req.ctx.actor;
        // Members are admitted per member, over all their tokens and sessions; anonymous callers
        // per client address (IPv6 by its /64, as the address throttle counts them).
        const key = actor.kind === 'member' ? `member:${actor.memberId}` : `ip:${addressKey(req.ip)}`;
        const release = exports.admit(key, req.ctx.clock.now(), {
          concurrent: req.ctx.config.exportConcurrency,
          perMinute: req.ctx.config.exportRateLimit,
        });
        const stream = exportStream(req.ctx, query, format);
        stream.once('close', release);
        reply.raw.once('close', release);
        reply.type(e.type);
        if (e.disposition !== undefined) reply.header('content-disposition', e.disposition);
        return reply.send(stream);
      },
    );
  }
};
