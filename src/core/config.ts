import { resolve } from 'node:path';
import { TabellaError } from './errors.ts';

/** Everything a Tabella process needs to know about where it runs. */
export interface Config {
  /** `sqlite:<file>` or a `postgres://` URL. */
  readonly db: string;
  readonly dataDir: string;
  readonly host: string;
  readonly port: number;
  /** The URL people reach this instance at; used in invitation links and the console. */
  readonly publicUrl: string;
  /**
   * Whether the operator set `TABELLA_PUBLIC_URL`. When not, TAXII discovery answers each client
   * with the address it used (its Host header), so a client that reached the server at all can
   * follow the advertised API root.
   */
  readonly publicUrlSet: boolean;
  /** The instance's name, used as the transparency log origin later. */
  readonly instanceName: string;
  /** Sign-in attempts allowed per IP per minute. */
  readonly signInRateLimit: number;
  /**
   * Failed secret checks (sign-in, current password, TOTP code) allowed per client address in 15
   * minutes, counted in the database so every node shares the budget.
   */
  readonly authFailuresPerAddress: number;
  /** Idle lifetime of a web session. */
  readonly sessionTtlMs: number;
  /** Largest accepted request body. */
  readonly bodyLimitBytes: number;
  readonly logLevel: string;
  /** How often the transparency log publishes a checkpoint while events arrive. */
  readonly logIntervalMs: number;
  /** REST exports one member may run at the same time (docs/sharing.md "Exports"). */
  readonly exportConcurrency: number;
  /** REST exports one member may start per minute. */
  readonly exportRateLimit: number;
  /** Anonymous TAXII requests (the Public collection) per client address per endpoint per minute. */
  readonly publicRateLimit: number;
}

/** Values from command-line flags (`--db`, `--port`, …); errors about them name the flag. */
export interface ConfigOverrides {
  readonly db?: string | undefined;
  readonly dataDir?: string | undefined;
  readonly port?: number | string | undefined;
  readonly host?: string | undefined;
}

type Env = Readonly<Record<string, string | undefined>>;

function intFrom(name: string, raw: string | number | undefined, fallback: number, min: number, max: number) {
  if (raw === undefined || raw === '') return fallback;
  const n = typeof raw === 'number' ? raw : Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new TabellaError('VALIDATION_FAILED', `${name} must be an integer from ${min} to ${max}`, {
      fields: [name],
    });
  }
  return n;
}

/**
 * Resolves configuration: explicit flags win over the environment, which wins over defaults.
 * The same resolution serves `tabella serve` and every administrative command, so both act on
 * the same database.
 */
export function loadConfig(overrides: ConfigOverrides = {}, env: Env = process.env): Config {
  const dataDir = resolve(overrides.dataDir ?? env.TABELLA_DATA_DIR ?? 'data');
  const db = overrides.db ?? env.TABELLA_DB ?? `sqlite:${resolve(dataDir, 'tabella.db')}`;
  if (!db.startsWith('sqlite:') && !/^postgres(ql)?:\/\//.test(db)) {
    throw new TabellaError('VALIDATION_FAILED', 'database must be sqlite:<file> or postgres://…', {
      fields: [overrides.db === undefined ? 'TABELLA_DB' : '--db'],
    });
  }
  // A bad value is blamed on where it came from: the command-line flag, or the environment.
  const portSource = overrides.port === undefined ? 'TABELLA_PORT' : '--port';
  const port = intFrom(portSource, overrides.port ?? env.TABELLA_PORT, 8080, 0, 65535);
  const host = overrides.host ?? env.TABELLA_HOST ?? '0.0.0.0';
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  const publicUrl = env.TABELLA_PUBLIC_URL === '' ? undefined : env.TABELLA_PUBLIC_URL;
  return {
    db,
    dataDir,
    host,
    port,
    publicUrl: (publicUrl ?? `http://${shownHost}:${port}`).replace(/\/+$/, ''),
    publicUrlSet: publicUrl !== undefined,
    instanceName: env.TABELLA_INSTANCE_NAME ?? 'tabella.localhost',
    signInRateLimit: intFrom('TABELLA_SIGNIN_RATE_LIMIT', env.TABELLA_SIGNIN_RATE_LIMIT, 20, 1, 1_000_000),
    authFailuresPerAddress: intFrom(
      'TABELLA_AUTH_FAILURES_PER_ADDRESS',
      env.TABELLA_AUTH_FAILURES_PER_ADDRESS,
      50,
      1,
      1_000_000,
    ),
    sessionTtlMs:
      intFrom('TABELLA_SESSION_TTL_MINUTES', env.TABELLA_SESSION_TTL_MINUTES, 720, 1, 43_200) * 60_000,
    bodyLimitBytes: intFrom('TABELLA_BODY_LIMIT', env.TABELLA_BODY_LIMIT, 1_048_576, 1024, 1_073_741_824),
    // Per-request lines are `info`; the default keeps the console to what needs attention.
    logLevel: env.TABELLA_LOG_LEVEL ?? 'warn',
    logIntervalMs: intFrom('TABELLA_LOG_INTERVAL_MS', env.TABELLA_LOG_INTERVAL_MS, 1000, 50, 60_000),
    exportConcurrency: intFrom('TABELLA_EXPORT_CONCURRENCY', env.TABELLA_EXPORT_CONCURRENCY, 2, 1, 1000),
    exportRateLimit: intFrom('TABELLA_EXPORT_RATE_LIMIT', env.TABELLA_EXPORT_RATE_LIMIT, 30, 1, 1_000_000),
    publicRateLimit: intFrom('TABELLA_PUBLIC_RATE_LIMIT', env.TABELLA_PUBLIC_RATE_LIMIT, 120, 1, 1_000_000),
  };
}
