import type { FastifyInstance } from 'fastify';
import { ManualClock } from '../../src/core/clock.ts';
import { type Config, loadConfig } from '../../src/core/config.ts';
import { type Db, openDatabase } from '../../src/db/index.ts';
import type { ServiceContext } from '../../src/features/context.ts';
import { type AppDeps, buildApp } from '../../src/server/app.ts';
import { type Engine, scratchDatabase } from './databases.ts';
import { freePort } from './ports.ts';

export { freePort };

export interface TestServer {
  readonly url: string;
  readonly app: FastifyInstance;
  readonly db: Db;
  readonly config: Config;
  readonly clock: ManualClock;
  /** A service context acting as the administrative CLI, for arranging test data. */
  readonly cli: ServiceContext;
  /** The one-time setup code the server made at start (what `tabella serve` prints); '' once set up. */
  readonly setupCode: string;
  close(): Promise<void>;
}

/** The setup code a server made at start, as `tabella serve` prints it; '' when none is needed. */
export function setupCodeOf(app: FastifyInstance): string {
  return app.tabellaSetup.kind === 'issued' ? app.tabellaSetup.code : '';
}

/**
 * Starts Tabella in-process on an ephemeral port over a scratch database, with a manual clock so
 * TOTP steps, lockouts and expiries are deterministic.
 */
export async function startTestServer(
  engine: Engine,
  env: Record<string, string> = {},
  /** A web app directory, a logger, or a running sequencer, for the tests that need one. */
  deps: Pick<AppDeps, 'webRoot' | 'logger' | 'logIntervalMs'> = {},
): Promise<TestServer> {
  const scratch = await scratchDatabase(engine);
  // The port is chosen before the app is built, so links the server writes (invitations) are right.
  const port = await freePort();
  const config = loadConfig(
    { db: scratch.url, dataDir: scratch.dataDir, port, host: '127.0.0.1' },
    {
      TABELLA_SIGNIN_RATE_LIMIT: '1000',
      // Many anonymous TAXII pulls from one address; the rate limit's own test sets a small one.
      TABELLA_PUBLIC_RATE_LIMIT: '1000000',
      TABELLA_PUBLIC_URL: `http://127.0.0.1:${port}`,
      ...env,
    },
  );
  const db = await openDatabase(config.db);
  const clock = new ManualClock(Date.parse('2026-11-03T12:00:00.000Z'));
  const app = await buildApp({ config, db, clock, logger: false, logIntervalMs: 0, ...deps });
  await app.listen({ port, host: '127.0.0.1' });
  const url = config.publicUrl;
  const withUrl: Config = config;
  return {
    url,
    app,
    db,
    config: withUrl,
    clock,
    cli: { db: db.kysely, clock, config: withUrl, actor: { kind: 'cli' } },
    setupCode: setupCodeOf(app),
    close: async () => {
      await app.close();
      await db.close();
      await scratch.cleanup();
    },
  };
}
