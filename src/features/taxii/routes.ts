import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { TabellaError } from '../../core/errors.ts';
import { addObjects, readEnvelope } from './add-objects.ts';
import { authenticateTaxii, requireMember } from './authenticate.ts';
import { findCollection, listCollections, toCollectionResource } from './collections.ts';
import { asTabellaError, toTaxiiError } from './error-resource.ts';
import {
  DELETE_FILTERS,
  OBJECT_FILTERS,
  OBJECTS_FILTERS,
  parseFilters,
  VERSIONS_FILTERS,
} from './filters.ts';
import { parseEnvelopeText } from './json-text.ts';
import { assertAcceptable, assertTaxiiBody, TAXII_MEDIA_TYPE } from './media.ts';
import {
  deleteObject,
  getManifest,
  getObject,
  getObjects,
  getVersions,
  type TaxiiAnswer,
} from './objects.ts';
import { API_ROOT_PATH, apiRootResource, baseUrlFor, discoveryResource, TAXII_PREFIX } from './resources.ts';
import { getStatus, statusJson } from './status.ts';

// Every TAXII route is `public` to the server's hook: authenticateTaxii decides (see its comment),
// and refuses a token outside the route's scopes (docs/api.md "Token scopes"): finding collections
// serves every TAXII use; pulls are `read` or `feeds`; adding and deleting are `share`.
// Anonymous requests (the Public collection) are rate-limited per address (TABELLA_PUBLIC_RATE_LIMIT).
const config = {
  tabella: { auth: 'public', anonymousLimited: true, scope: ['read', 'share', 'feeds'] },
} as const;
const pull = { tabella: { auth: 'public', anonymousLimited: true, scope: ['read', 'feeds'] } } as const;
const write = { tabella: { auth: 'public', anonymousLimited: true, scope: 'share' } } as const;
const status = { tabella: { auth: 'public', anonymousLimited: true, scope: ['read', 'share'] } } as const;
const schema = (summary: string) => ({ tags: ['taxii'], summary });

interface CollectionParams {
  readonly collectionId: string;
}
interface ObjectParams extends CollectionParams {
  readonly objectId: string;
}

/**
 * Sends a TAXII resource with exactly `application/taxii+json;version=2.1`: a Buffer payload keeps
 * Fastify from rewriting the header (it would quote the version and append a charset, which
 * taxii2-client's token-by-token media type check rejects).
 */
function send(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return sendJson(reply, status, Buffer.from(JSON.stringify(body), 'utf8'));
}

/** Sends a TAXII resource already serialized (a status resource can be megabytes). */
function sendJson(reply: FastifyReply, status: number, json: Buffer): FastifyReply {
  return reply.code(status).header('content-type', TAXII_MEDIA_TYPE).send(json);
}

function sendPage<T>(reply: FastifyReply, a: TaxiiAnswer<T>): FastifyReply {
  if (a.first !== undefined) void reply.header('x-taxii-date-added-first', a.first);
  if (a.last !== undefined) void reply.header('x-taxii-date-added-last', a.last);
  return send(reply, 200, a.body);
}

function collectionOf(req: FastifyRequest<{ Params: CollectionParams }>) {
  return findCollection(req.ctx, req.principal, req.params.collectionId);
}

/** The TAXII 2.1 server (docs/taxii.md): discovery, one API root, collections, objects, status. */
async function taxiiServer(app: FastifyInstance): Promise<void> {
  // TAXII 2.1 §3.6.1: errors are error message resources in the TAXII media type.
  app.setErrorHandler((err: unknown, req: FastifyRequest, reply: FastifyReply) => {
    const te = asTabellaError(err);
    if (te.statusCode >= 500) req.log.error({ err }, 'TAXII request failed');
    if (te.headers !== undefined) void reply.headers(te.headers);
    if (te.statusCode === 401) {
      void reply.header('www-authenticate', 'Basic realm="tabella-taxii", Bearer realm="tabella-taxii"');
    }
    return send(reply, te.statusCode, toTaxiiError(te));
  });
  app.setNotFoundHandler(async () => {
    throw new TabellaError('NOT_FOUND', 'no such TAXII resource');
  });
  // Bodies are JSON in the TAXII media type, kept as bytes here and parsed by the route in slices
  // (json-text.ts: the same prototype-poisoning, NUL and depth guards): an envelope up to the body
  // limit must not hold the event loop while it is parsed, nor while the input guard walks it.
  app.addContentTypeParser('application/taxii+json', { parseAs: 'buffer' }, (_req, bytes, done) => {
    done(null, bytes);
  });
  app.addHook('onRequest', async (req) => {
    await authenticateTaxii(req);
    assertAcceptable(req.headers.accept);
    if (req.method === 'POST') assertTaxiiBody(req.headers['content-type']);
  });

  app.get('/', { config, schema: schema('TAXII discovery (§4.1)') }, async (req, reply) =>
    send(
      reply.header('vary', 'Host'),
      200,
      discoveryResource(req.ctx.config, baseUrlFor(req.ctx.config, req)),
    ),
  );

  const root = API_ROOT_PATH;
  app.get(root, { config, schema: schema('API root information (§4.2)') }, async (req, reply) =>
    send(reply, 200, apiRootResource(req.ctx.config)),
  );

  app.get<{ Params: { statusId: string } }>(
    `${root}/status/:statusId`,
    { config: status, schema: schema('Status of an add-objects request (§4.3); its organization only') },
    async (req, reply) => {
      const { actor } = requireMember(req);
      return sendJson(reply, 200, await getStatus(req.ctx, actor, req.params.statusId));
    },
  );

  app.get(`${root}/collections`, { config, schema: schema('Collections (§5.1)') }, async (req, reply) => {
    const list = await listCollections(req.ctx, req.principal);
    return send(reply, 200, list.length === 0 ? {} : { collections: list.map(toCollectionResource) });
  });

  const collection = `${root}/collections/:collectionId`;
  app.get<{ Params: CollectionParams }>(
    collection,
    { config, schema: schema('A collection (§5.2)') },
    async (req, reply) => send(reply, 200, toCollectionResource(await collectionOf(req))),
  );

  app.get<{ Params: CollectionParams }>(
    `${collection}/objects`,
    { config: pull, schema: schema('Objects (§5.3)') },
    async (req, reply) => {
      const c = await collectionOf(req);
      return sendPage(reply, await getObjects(req.ctx, c, parseFilters(req.query, OBJECTS_FILTERS)));
    },
  );

  app.post<{ Params: CollectionParams }>(
    `${collection}/objects`,
    { config: write, schema: schema('Add objects (§5.4): answered 202 with a status resource') },
    async (req, reply) => {
      const parsed = await parseEnvelopeText(Buffer.isBuffer(req.body) ? req.body : '');
      const envelope = await readEnvelope(parsed.value, parsed.objects);
      const { actor } = requireMember(req);
      const c = await collectionOf(req);
      const status = await addObjects(req.ctx, actor, c, envelope);
      return sendJson(reply, 202, await statusJson(req.ctx, status));
    },
  );

  app.get<{ Params: CollectionParams }>(
    `${collection}/manifest`,
    { config: pull, schema: schema('Object manifests (§5.6)') },
    async (req, reply) => {
      const c = await collectionOf(req);
      return sendPage(reply, await getManifest(req.ctx, c, parseFilters(req.query, OBJECTS_FILTERS)));
    },
  );

  const object = `${collection}/objects/:objectId`;
  app.get<{ Params: ObjectParams }>(
    object,
    { config: pull, schema: schema('An object (§5.5)') },
    async (req, reply) => {
      const c = await collectionOf(req);
      const f = parseFilters(req.query, OBJECT_FILTERS);
      return sendPage(reply, await getObject(req.ctx, c, req.params.objectId, f));
    },
  );

  app.delete<{ Params: ObjectParams }>(
    object,
    { config: write, schema: schema("Delete an object (§5.7): one's own organization's only") },
    async (req, reply) => {
      requireMember(req);
      const c = await collectionOf(req);
      await deleteObject(req.ctx, c, req.params.objectId, parseFilters(req.query, DELETE_FILTERS));
      return reply.code(200).send();
    },
  );

  app.get<{ Params: ObjectParams }>(
    `${object}/versions`,
    { config: pull, schema: schema('Versions of an object, oldest first (§5.8)') },
    async (req, reply) => {
      const c = await collectionOf(req);
      const f = parseFilters(req.query, VERSIONS_FILTERS);
      return sendPage(reply, await getVersions(req.ctx, c, req.params.objectId, f));
    },
  );
}

/** Registers the TAXII server under `/taxii2`; the app registers this once. */
export async function taxiiRoutes(app: FastifyInstance): Promise<void> {
  await app.register(taxiiServer, { prefix: TAXII_PREFIX });
}
