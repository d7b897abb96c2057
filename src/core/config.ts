import { dirname, join, resolve } from 'node:path';
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
  /**
   * The instance's name: the transparency log origin a fresh database records (issue 11 §6). Once
   * a database has a log, its origin is the database's, and the server runs under that name.
   */
  readonly instanceName: string;
  /** Whether the operator set `TABELLA_INSTANCE_NAME` (a node whose name is not its database's refuses to start). */
  readonly instanceNameSet: boolean;
  /** Where this node's transparency log signing key comes from (docs/operations.md "Several nodes"). */
  readonly logKey: LogKeySource;
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

/**
 * Where the log signing key comes from: the key itself in `TABELLA_LOG_KEY` (the contents of a key
 * file), a file named by `TABELLA_LOG_KEY_FILE`, or `log-signer.key` in the data directory.
 * `bound` says whether the file belongs to this database's configuration: false for the default
 * `./data` when the database was named elsewhere (`--db postgres://…` and no data directory) —
 * that key is another instance's, so a fresh database never creates nor adopts it.
 */
export type LogKeySource =
  | { readonly kind: 'value'; readonly value: string }
  | {
      readonly kind: 'file';
      readonly path: string;
      readonly from: 'TABELLA_LOG_KEY_FILE' | 'data directory';
      readonly bound: boolean;
    };

/** The name of the log key file in a data directory. */
export const LOG_KEY_FILE = 'log-signer.key';

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
  const dbNamed = overrides.db ?? env.TABELLA_DB;
  const db = dbNamed ?? `sqlite:${resolve(dataDir, 'tabella.db')}`;
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
    instanceNameSet: env.TABELLA_INSTANCE_NAME !== undefined,
    logKey: logKeySource(env, dataDir, {
      dataDirNamed: overrides.dataDir !== undefined || env.TABELLA_DATA_DIR !== undefined,
      dbNamed,
    }),
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

function logKeySource(
  env: Env,
  dataDir: string,
  named: { readonly dataDirNamed: boolean; readonly dbNamed: string | undefined },
): LogKeySource {
  const value = env.TABELLA_LOG_KEY === '' ? undefined : env.TABELLA_LOG_KEY;
  const file = env.TABELLA_LOG_KEY_FILE === '' ? undefined : env.TABELLA_LOG_KEY_FILE;
  if (value !== undefined && file !== undefined) {
    throw new TabellaError('VALIDATION_FAILED', 'set TABELLA_LOG_KEY or TABELLA_LOG_KEY_FILE, not both', {
      fields: ['TABELLA_LOG_KEY', 'TABELLA_LOG_KEY_FILE'],
    });
  }
  if (value !== undefined) return { kind: 'value', value: value.trim() };
  if (file !== undefined)
    return { kind: 'file', path: resolve(file), from: 'TABELLA_LOG_KEY_FILE', bound: true };
  // The data directory's key belongs to this database when the directory was named, or when the
  // database is the SQLite file in it; not when only the database was named (issue 11 §6).
  const { dbNamed } = named;
  const dbInDataDir =
    dbNamed === undefined ||
    (dbNamed.startsWith('sqlite:') && dirname(resolve(dbNamed.slice(7))) === dataDir);
  return {
    kind: 'file',
    path: join(dataDir, LOG_KEY_FILE),
    from: 'data directory',
    bound: named.dataDirNamed || dbInDataDir,
  };
}
