import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { searchAuditTrail } from './audit-trail.ts';
import { ImmutableCache, readCheckpointNote, readLogResource } from './log-resources.ts';
import { getLogState } from './log-store.ts';
import { getReceipt } from './receipts.ts';
import type { LogRuntime } from './runtime.ts';
import { listWitnesses, registerWitness, submitCosignature } from './witness-service.ts';

const PUBLIC = { tabella: { auth: 'public' } } as const;
const READ = { tabella: { auth: 'member', scope: 'read' } } as const;
// Witnesses are registered and hand back cosignatures as the oversight body's administration of the log.
const ADMIN = { tabella: { auth: 'member', scope: 'admin' } } as const;

/** Public log resources may be fetched by verifiers anywhere, including from other origins. */
const OPEN_HEADERS = { 'access-control-allow-origin': '*', 'cross-origin-resource-policy': 'cross-origin' };

/**
 * Log sizes are stored in `integer` columns, 32-bit on PostgreSQL: a larger size is bad input
 * (400 VALIDATION_FAILED), never a query the database refuses (issue 10 §5).
 */
const MAX_LOG_SIZE = 2_147_483_647;

export function transparencyRoutes(log: LogRuntime): FastifyPluginAsyncTypebox {
  return async (app) => {
    const cache = new ImmutableCache();
    app.get('/log/checkpoint', { config: PUBLIC, schema: { hide: true } }, async (req, reply) =>
      reply
        .headers({ ...OPEN_HEADERS, 'cache-control': 'no-cache' })
        .type('text/plain; charset=utf-8')
        .send(await readCheckpointNote(req.ctx.db)),
    );

    app.get('/log/vkey', { config: PUBLIC, schema: { hide: true } }, async (_req, reply) =>
      reply.headers(OPEN_HEADERS).type('text/plain; charset=utf-8').send(`${log.verifierKey}\n`),
    );

    app.get('/log/tile/*', { config: PUBLIC, schema: { hide: true } }, async (req, reply) => {
      const rest = (req.params as { '*': string })['*'];
      const resource = await readLogResource(req.ctx.db, `tile/${rest}`, cache);
      return reply
        .headers({
          ...OPEN_HEADERS,
          'cache-control': resource.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
        })
        .type('application/octet-stream')
        .send(resource.body);
    });

    app.get(
      '/api/v1/audit/log',
      {
        config: READ,
        schema: {
          tags: ['audit'],
          summary: 'The transparency log: size, latest checkpoint, verifier key, witnesses',
          response: {
            200: Type.Object({
              origin: Type.String(),
              size: Type.Integer(),
              rootHash: Type.String(),
              checkpoint: Type.String(),
              vkey: Type.String(),
              witnesses: Type.Array(
                Type.Object({
                  keyId: Type.String(),
                  name: Type.String(),
                  vkey: Type.String(),
                  orgId: Type.String(),
                  orgName: Type.String(),
                  cosignedSize: Type.Union([Type.Integer(), Type.Null()]),
                  cosignedAt: Type.Union([Type.String(), Type.Null()]),
                }),
              ),
            }),
          },
        },
      },
      async (req) => {
        const state = await getLogState(req.ctx.db);
        return {
          origin: log.origin,
          size: state?.size ?? 0,
          rootHash: state?.root ?? '',
          checkpoint: await readCheckpointNote(req.ctx.db),
          vkey: log.verifierKey,
          witnesses: await listWitnesses(req.ctx),
        };
      },
    );

    app.get(
      '/api/v1/audit/events',
      {
        config: READ,
        schema: {
          tags: ['audit'],
          summary:
            'Search the audit trail (admins: their organization; operator admins and oversight auditors: all)',
          querystring: Type.Object(
            {
              actor: Type.Optional(Type.String({ maxLength: 100 })),
              action: Type.Optional(Type.String({ maxLength: 100 })),
              subject: Type.Optional(Type.String({ maxLength: 100 })),
              from: Type.Optional(Type.String({ format: 'date-time' })),
              to: Type.Optional(Type.String({ format: 'date-time' })),
              limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
              cursor: Type.Optional(Type.String({ maxLength: 500 })),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (req) => searchAuditTrail(req.ctx, req.query),
    );

    app.get(
      '/api/v1/audit/events/:id/receipt',
      {
        config: READ,
        schema: {
          tags: ['audit'],
          summary:
            'A receipt for one event: the event, its log entry and an inclusion proof against a signed checkpoint',
          params: Type.Object({ id: Type.String({ maxLength: 100 }) }),
        },
      },
      async (req) => getReceipt(req.ctx, req.params.id),
    );

    app.post(
      '/api/v1/audit/witnesses',
      {
        config: ADMIN,
        schema: {
          tags: ['audit'],
          summary:
            'Register a witness key (admins and auditors of vetted oversight bodies); 201 when new, 200 when already registered',
          body: Type.Object(
            { vkey: Type.String({ minLength: 1, maxLength: 500 }) },
            { additionalProperties: false },
          ),
        },
      },
      async (req, reply) => {
        const { created, ...witness } = await registerWitness(req.ctx, req.body.vkey);
        return reply.code(created ? 201 : 200).send(witness);
      },
    );

    app.post(
      '/api/v1/audit/cosignatures',
      {
        config: ADMIN,
        schema: {
          tags: ['audit'],
          summary: "Hand back a witness's cosignature of the checkpoint of a given size",
          body: Type.Object(
            {
              size: Type.Integer({ minimum: 0, maximum: MAX_LOG_SIZE }),
              signature: Type.String({ minLength: 1, maxLength: 1000 }),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (req, reply) => reply.code(201).send(await submitCosignature(req.ctx, req.body)),
    );
  };
}
