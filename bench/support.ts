import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../test/support/ports.ts';

export const BIN = new URL('../bin/tabella.mjs', import.meta.url).pathname;

export interface RunningServer {
  readonly url: string;
  readonly dataDir: string;
  readonly child: ChildProcess;
  /** Milliseconds from spawning the process to the first healthy /healthz answer. */
  readonly startToHealthyMs: number;
  stop(): Promise<void>;
}

/**
 * Starts `tabella serve` as its own process on a data directory (a fresh one by default: SQLite),
 * with `env` added to its environment (e.g. TABELLA_DB for PostgreSQL). Its errors go to stderr.
 */
export async function startServer(
  dataDir = mkdtempSync(join(tmpdir(), 'tabella-bench-')),
  env: Readonly<Record<string, string>> = {},
): Promise<RunningServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    [BIN, 'serve', '--port', String(port), '--host', '127.0.0.1', '--data-dir', dataDir],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, TABELLA_LOG_LEVEL: 'error', ...env },
    },
  );
  for (;;) {
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (performance.now() - t0 > 30_000) throw new Error('server did not become healthy in 30 s');
    await new Promise((r) => setTimeout(r, 10));
  }
  const startToHealthyMs = performance.now() - t0;
  return {
    url,
    dataDir,
    child,
    startToHealthyMs,
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export function cli(
  dataDir: string,
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): unknown {
  const out = execFileSync(process.execPath, [BIN, ...args, '--data-dir', dataDir, '--json'], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return JSON.parse(out);
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

/** A bench indicator: a unique IPv4 pattern per `i`, with optional extra properties (markings…). */
export function benchIndicator(i: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const created = '2026-01-01T00:00:00.000Z';
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--${randomUUID()}`,
    created,
    modified: created,
    name: `Bench indicator ${i}`,
    pattern: `[ipv4-addr:value = '10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}']`,
    pattern_type: 'stix',
    valid_from: created,
    ...extra,
  };
}

/** The q-quantile (0..1) of `xs`. */
export function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN;
}
