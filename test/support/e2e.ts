// Helpers for the browser end-to-end tests: a real `tabella serve` in a child process on a free
// port and a fresh temporary data directory (embedded SQLite, quiet logs), Debian's Chromium
// through playwright-core, and stopping both.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { freePort } from './ports.ts';

export const CHROMIUM = '/usr/bin/chromium';
/** The repository root, where `bin/tabella.mjs` and `web/dist` are. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Why a browser test cannot run here (no Chromium), or false; logs the skip. On CI a missing
 * Chromium is an error, not a skip.
 */
export function browserSkip(label: string): string | false {
  if (existsSync(CHROMIUM)) return false;
  if (process.env.CI) {
    throw new Error(`${CHROMIUM} is missing: CI must install Debian's chromium for the browser test`);
  }
  const skip = `${CHROMIUM} not found (install Debian's chromium); browser test skipped`;
  console.log(`# SKIP ${label} e2e: ${skip}`);
  return skip;
}

/** Whether a planted script payload ran in the page. */
export async function pwned(page: Page): Promise<unknown> {
  return page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned);
}

export interface ServerOptions {
  /** Prefix of the temporary data directory's name. */
  readonly tmpPrefix: string;
  /** Extra arguments to `tabella serve`. */
  readonly args?: readonly string[];
  /** Extra environment variables for the server (and for `env`, which CLI runs reuse). */
  readonly env?: Readonly<Record<string, string>>;
}

export interface E2eServer {
  readonly base: string;
  readonly dataDir: string;
  /** The server's environment, for CLI runs against the same data directory. */
  readonly env: NodeJS.ProcessEnv;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s) and removes the data directory. */
  stop(): Promise<void>;
  /** The one-time setup code, as an operator reads it: from <data dir>/setup-code. */
  setupCode(): string;
  /** What the server printed so far (stdout and stderr). */
  output(): string;
}

async function waitForHealthy(base: string, server: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`server exited with ${server.exitCode}:\n${output()}`);
    try {
      const res = await fetch(`${base}/healthz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`server not healthy within 60 s:\n${output()}`);
}

/**
 * Builds the web app if it is not built, then starts `tabella serve` on a free port in a fresh
 * temporary data directory and waits for /healthz.
 */
export async function startServer(o: ServerOptions): Promise<E2eServer> {
  if (!existsSync(join(ROOT, 'web/dist/index.html'))) {
    const built = spawnSync(
      process.execPath,
      ['node_modules/vite/bin/vite.js', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'],
      { cwd: ROOT, encoding: 'utf8' },
    );
    assert.equal(built.status, 0, `web build failed: ${built.stderr}`);
  }
  const dataDir = mkdtempSync(join(tmpdir(), o.tmpPrefix));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TABELLA_LOG_LEVEL: 'warn',
    TABELLA_HOST: '127.0.0.1',
    TABELLA_PUBLIC_URL: base,
    ...o.env,
  };
  delete env.TABELLA_DB;
  let output = '';
  const server = spawn(
    process.execPath,
    ['bin/tabella.mjs', 'serve', '--port', String(port), '--data-dir', dataDir, ...(o.args ?? [])],
    { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  server.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  server.stderr?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const stop = async (): Promise<void> => {
    if (server.exitCode === null) {
      const exited = new Promise((r) => server.once('exit', r));
      server.kill('SIGTERM');
      const timer = setTimeout(() => server.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForHealthy(base, server, () => output);
  } catch (e) {
    await stop();
    throw e;
  }
  const setupCode = () => readFileSync(join(dataDir, 'setup-code'), 'utf8').trim();
  return { base, dataDir, env, stop, setupCode, output: () => output };
}

/** Headless Chromium with the flags every browser test uses. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}

/** Closes the browser, then stops the server; either may be missing if `before` failed early. */
export async function stopBrowserAndServer(browser?: Browser, server?: E2eServer): Promise<void> {
  await browser?.close().catch(() => {});
  await server?.stop();
}

/**
 * After MFA enrollment is confirmed: reads the recovery codes shown once, ticks "I have saved these
 * codes" and continues (issue 11). Returns the codes.
 */
export async function saveRecoveryCodes(page: Page, button = 'Continue'): Promise<string[]> {
  const list = page.getByTestId('recovery-codes');
  await list.waitFor();
  const codes = (await list.getByRole('listitem').allTextContents()).map((c) => c.trim());
  assert.equal(codes.length, 10);
  await page.getByLabel('I have saved these codes').check();
  await page.getByRole('button', { name: button }).click();
  return codes;
}
