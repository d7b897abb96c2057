import { createServer } from 'node:net';
import { systemClock } from '../../core/clock.ts';
import { loadConfig } from '../../core/config.ts';
import { openDatabase } from '../../db/index.ts';
import { recordPublicUrl, seedDemo, setupNeeded } from '../../features/membership/index.ts';
import type { SetupCodeState } from '../../features/membership/setup-code.ts';
import { buildApp } from '../../server/app.ts';
import { action } from '../context.ts';
import type { CommandModule } from './index.ts';

interface ServeFlags {
  readonly port?: string;
  readonly host?: string;
  readonly db?: string;
  readonly dataDir?: string;
  readonly demo?: boolean;
}

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr !== null ? addr.port : 0));
    });
  });
}

/** Why the server could not listen, said in one line, or undefined for errors that are not about the address. */
function listenReason(code: string, where: string, portFrom: string): string | undefined {
  switch (code) {
    case 'EADDRINUSE':
      return `${where} is already in use by another process; stop it, or choose another port with ${portFrom}`;
    case 'EACCES':
      return `not allowed to listen on ${where} (ports below 1024 need privileges); choose another port with ${portFrom}`;
    case 'EADDRNOTAVAIL':
      return `${where}: this machine has no such address; choose another with --host or TABELLA_HOST`;
    default:
      return undefined;
  }
}

/**
 * Says why the server could not listen in one line, `error <errno code>: …` like the CLI's coded
 * errors, instead of the raw `listen EADDRINUSE: address already in use …`; false for other errors.
 */
function reportListenFailure(err: unknown, host: string, port: number, portFlag: boolean): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  if (typeof code !== 'string') return false;
  const reason = listenReason(
    code,
    `port ${port} on ${host}`,
    portFlag ? '--port' : '--port or TABELLA_PORT',
  );
  if (reason === undefined) return false;
  process.stderr.write(`error ${code}: ${reason}\n`);
  process.exitCode = 1;
  return true;
}

/** Says how to set up a fresh instance, with the one-time setup code this node holds. */
function printSetupCode(state: SetupCodeState, url: string): void {
  const open = `First start: open ${url}/setup to create the operator organization and its first admin.`;
  switch (state.kind) {
    case 'issued':
      process.stdout.write(
        `${open}\nSetup code (needed once, on that page): ${state.code}\n  (also in ${state.file}, readable only by this user)\n`,
      );
      return;
    case 'elsewhere':
      process.stdout.write(
        `${open}\nThe setup code was made by another server on this database: it printed it, and it is in that server's <data dir>/setup-code. To make a new one here: tabella setup-code\n`,
      );
      return;
    case 'done':
      return;
  }
}

export const serveCommand: CommandModule = (program) => {
  program
    .command('serve')
    .description('run the Tabella server (what `npm start` runs)')
    .option('--port <port>', 'port to listen on; default TABELLA_PORT or 8080')
    .option('--host <host>', 'address to bind; default TABELLA_HOST or 0.0.0.0')
    .option('--db <url>', 'database URL (sqlite:<file> or postgres://…)')
    .option('--data-dir <dir>', 'data directory; default TABELLA_DATA_DIR or ./data')
    .option('--demo', 'seed a demo partnership into an empty instance and print its sign-ins')
    .action(
      action(async (flags: ServeFlags) => {
        const started = performance.now();
        const overrides = { port: flags.port, host: flags.host, db: flags.db, dataDir: flags.dataDir };
        let config = loadConfig(overrides);
        // `--port 0` asks for any free port: pick it first, so the links the server writes are right.
        if (config.port === 0) config = loadConfig({ ...overrides, port: await freePort(config.host) });
        const db = await openDatabase(config.db);
        // A refused start (e.g. LOG_KEY_MISMATCH) closes the database, so the process exits with its code.
        const app = await buildApp({ config, db }).catch(async (err: unknown) => {
          await db.close();
          throw err;
        });
        const ctx = { db: db.kysely, clock: systemClock, config, actor: { kind: 'cli' } } as const;
        if (flags.demo === true) {
          const demo = await seedDemo(ctx);
          if (demo === null) {
            process.stdout.write('Demo: this instance already has administrators; nothing seeded.\n');
          } else {
            process.stdout.write(
              `\nDemo partnership seeded. Every demo member's password: ${demo.password}\n`,
            );
            for (const s of demo.signIns) {
              const mfa = s.totpSecret === null ? 'no MFA' : `TOTP secret ${s.totpSecret}`;
              process.stdout.write(`  ${s.email.padEnd(36)} ${s.roles.join(',').padEnd(18)} ${mfa}\n`);
            }
            process.stdout.write(
              'Add a TOTP secret to any authenticator app (or `oathtool --totp -b SECRET`).\n\n',
            );
          }
        }
        try {
          await app.listen({ port: config.port, host: config.host });
        } catch (err) {
          await app.close();
          await db.close();
          if (reportListenFailure(err, config.host, config.port, flags.port !== undefined)) return;
          throw err;
        }
        const url = config.publicUrl;
        // The CLI beside this server prints invitation links with it (src/cli/context.ts).
        await recordPublicUrl(db.kysely, url);
        const ms = Math.round(performance.now() - started);
        process.stdout.write(`Tabella is running at ${url} (database: ${db.engine}, ready in ${ms} ms)\n`);
        if (await setupNeeded(ctx)) printSetupCode(app.tabellaSetup, url);
        const stop = async () => {
          await app.close();
          await db.close();
          process.exit(0);
        };
        process.once('SIGINT', () => void stop());
        process.once('SIGTERM', () => void stop());
      }),
    );
};
