// `tabella serve` as a child process that either comes up (answers /healthz) or exits: for tests of
// what a node refuses at start (issue 11 §6), with its own working directory and environment.
import { type ChildProcess, spawn } from 'node:child_process';
import { BIN, cleanEnv, ROOT } from './cli.ts';
import { freePort } from './ports.ts';

export type ServeOutcome =
  | {
      readonly kind: 'up';
      readonly url: string;
      readonly child: ChildProcess;
      /** What it has written to stdout so far. */
      stdout(): string;
      stop(): Promise<void>;
    }
  | {
      readonly kind: 'exited';
      readonly code: number | null;
      readonly stdout: string;
      readonly stderr: string;
    };

/** Starts `tabella serve <args>` on a free port of 127.0.0.1 and waits until it is up or has exited. */
export async function startServe(
  args: readonly string[],
  o: { readonly cwd?: string; readonly env?: Record<string, string> } = {},
): Promise<ServeOutcome> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    process.execPath,
    [BIN, 'serve', '--port', String(port), '--host', '127.0.0.1', ...args],
    {
      cwd: o.cwd ?? ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: cleanEnv({ TABELLA_LOG_LEVEL: 'error', TABELLA_LOG_INTERVAL_MS: '100', ...o.env }),
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  // 'close' comes after the child's output is read to its end, unlike 'exit'.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  let code: number | null | undefined;
  void exited.then((c) => {
    code = c;
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (code !== undefined) {
      await new Promise((r) => setImmediate(r));
      return { kind: 'exited', code, stdout, stderr };
    }
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`tabella serve neither started nor exited: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    kind: 'up',
    url,
    child,
    stdout: () => stdout,
    stop: async () => {
      if (code !== undefined) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}
