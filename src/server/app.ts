import { readFileSync } from 'node:fs';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { DestinationStream } from 'pino';
import { type Clock, systemClock } from '../core/clock.ts';
import type { Config } from '../core/config.ts';
import { TabellaError } from '../core/errors.ts';
import type { Db } from '../db/index.ts';
import { SESSION_COOKIE } from '../features/http.ts';
import { intelRoutes } from '../features/intel/routes.ts';
import { memberRoutes } from '../features/membership/routes/members.ts';
import { orgRoutes } from '../features/membership/routes/orgs.ts';
import { recoveryRoutes } from '../features/membership/routes/recovery.ts';
import { sessionRoutes } from '../features/membership/routes/session.ts';
import { tokenRoutes } from '../features/membership/routes/tokens.ts';
import { prepareSetupCode, type SetupCodeState } from '../features/membership/setup-code.ts';
import {
  TAXII_MEDIA_TYPE,
  TAXII_PREFIX,
  taxiiConnectionRoutes,
  taxiiRoutes,
  toTaxiiError,
} from '../features/taxii/index.ts';
import { bindLogIdentity, LogRuntime, transparencyRoutes } from '../features/transparency/index.ts';
import { installAuthentication } from './authenticate.ts';
import { installErrorHandling, toTabellaError } from './error-handler.ts';
import { installInputGuards } from './input-guards.ts';
import { serializeRequest } from './log-redaction.ts';
import { installOpenApi } from './openapi.ts';
import { installPrivateCaching } from './private-caching.ts';
import { installValidation } from './validation.ts';
import { installWebApp } from './web-app.ts';

const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

export interface AppDeps {
  readonly config: Config;
  readonly db: Db;
  readonly clock?: Clock;
  /**
   * `false` for no log (tests), or pino options over the configured level (e.g. a `stream` for a
   * test to read). Request URLs are always logged redacted (`serializeRequest`).
   */
  readonly logger?: false | { readonly level?: string; readonly stream?: DestinationStream };
  /** The built web app's directory; `web/dist` by default. */
  readonly webRoot?: string;
  /** How often the transparency log sequences new events; 0 = only when `app.tabellaLog.flush()` is called (tests). */
  readonly logIntervalMs?: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The transparency log of this instance (issue 5). */
    tabellaLog: LogRuntime;
    /** The one-time setup code as this node found it at start (issue 11 §4); `tabella serve` prints it. */
    tabellaSetup: SetupCodeState;
  }
}

/** Assembles the HTTP server: security headers, authentication, validation, routes, docs, web app. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { db } = deps;
  const clock = deps.clock ?? systemClock;
  // First of all, so a node that would sign its database's log with another key or origin refuses
  // before it serves anything; the instance then runs under its log's origin (issue 11 §6).
  const identity = await bindLogIdentity({ db, clock, config: deps.config });
  const config: Config = { ...deps.config, instanceName: identity.origin };
  const app = Fastify({
    logger:
      deps.logger === false
        ? false
        : { level: config.logLevel, ...deps.logger, serializers: { req: serializeRequest } },
    bodyLimit: config.bodyLimitBytes,
    trustProxy: process.env.TABELLA_TRUST_PROXY === '1',
    ajv: { customOptions: { removeAdditional: false } },
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
    // Errors the router raises before any hook (bad percent-encoding, …) use the registry too; under
    // the TAXII prefix as TAXII error message resources (TAXII 2.1 §3.6.1), like every TAXII error.
    frameworkErrors: (err, req, reply) => {
      const te = toTabellaError(err);
      const taxii = req.url === TAXII_PREFIX || req.url.startsWith(`${TAXII_PREFIX}/`);
      void reply.raw.writeHead(te.statusCode, {
        'content-type': taxii ? TAXII_MEDIA_TYPE : 'application/json; charset=utf-8',
        'cache-control': 'no-store',
      });
      reply.raw.end(JSON.stringify(taxii ? toTaxiiError(te) : te.toBody()));
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  installErrorHandling(app);
  installValidation(app);
  installInputGuards(app);
  installPrivateCaching(app);
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
      },
    },
    hsts: config.publicUrl.startsWith('https:'),
  });
  await app.register(cookie);
  await app.register(rateLimit, {
    global: true,
    timeWindow: 60_000,
    max: (req: FastifyRequest) => limitFor(req, config) ?? 1_000_000,
    allowList: (req: FastifyRequest) => limitFor(req, config) === undefined,
    keyGenerator: (req: FastifyRequest) => `${req.ip}|${req.routeOptions.url ?? ''}`,
    errorResponseBuilder: (_req, ctx) =>
      new TabellaError('RATE_LIMITED', 'too many requests; slow down', {
        headers: { 'retry-after': String(Math.ceil(ctx.ttl / 1000)) },
      }),
  });
  installAuthentication(app, { db, clock, config });
  await installOpenApi(app, VERSION);

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  await app.register(sessionRoutes);
  await app.register(orgRoutes);
  await app.register(memberRoutes);
  await app.register(recoveryRoutes);
  await app.register(tokenRoutes);
  await app.register(intelRoutes);
  await app.register(taxiiRoutes);
  await app.register(taxiiConnectionRoutes);

  const log = new LogRuntime({ db, clock, identity });
  await log.sequencer.init();
  app.decorate('tabellaLog', log);
  await app.register(transparencyRoutes(log));
  const interval = deps.logIntervalMs ?? config.logIntervalMs;
  if (interval > 0) app.addHook('onReady', async () => log.start(interval, app.log));
  app.addHook('onClose', async () => log.stop());
  await installWebApp(app, deps.webRoot);
  // Last, so a server that failed to assemble leaves no code behind.
  const setup: SetupCodeState = await prepareSetupCode({ db: db.kysely, config });
  app.decorate('tabellaSetup', { getter: () => setup });
  return app;
}

function limitFor(req: FastifyRequest, config: Config): number | undefined {
  const spec = req.routeOptions.config.tabella;
  const per = spec?.perMinute;
  if (per !== undefined) return per === 'sign-in' ? config.signInRateLimit : per;
  return spec?.anonymousLimited === true && !carriesCredential(req) ? config.publicRateLimit : undefined;
}

/** Whether a request sends any credential; one that does is authenticated (a wrong one is a 401). */
function carriesCredential(req: FastifyRequest): boolean {
  const cookie = req.cookies[SESSION_COOKIE];
  const query = req.query as { token?: unknown } | undefined;
  return (
    req.headers.authorization !== undefined ||
    (cookie !== undefined && cookie !== '') ||
    query?.token !== undefined
  );
}
