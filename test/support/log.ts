// Helpers for transparency-log tests (issue 5): reading a served log over HTTP the way an outside
// verifier does, and starting a test server that signs with a given log key.
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { ManualClock } from '../../src/core/clock.ts';
import { type Config, loadConfig } from '../../src/core/config.ts';
import { openDatabase } from '../../src/db/index.ts';
import { LOG_KEY_FILE } from '../../src/features/transparency/index.ts';
import { buildApp } from '../../src/server/app.ts';
import {
  type Checkpoint,
  isTlogVerifyError,
  type LogFetch,
  noteVerifierFromKey,
  openCheckpoint,
  type TlogVerifyErrorCode,
  type VerifiedLog,
  verifyTiledLog,
} from '../../src/tlog/index.ts';
import { type Engine, scratchDatabase } from './databases.ts';
import { freePort, setupCodeOf, type TestServer } from './server.ts';

/** A `LogFetch` over HTTP: `prefix` is the log's base URL (`http://host/log`); 404 → undefined. */
export function httpLogFetch(prefix: string): LogFetch {
  const base = prefix.replace(/\/+$/, '');
  return async (path) => {
    const res = await fetch(`${base}/${path}`);
    if (res.status === 404) return undefined;
    if (!res.ok) throw new Error(`GET ${base}/${path}: HTTP ${res.status}`);
    return new Uint8Array(await res.arrayBuffer());
  };
}

export async function fetchText(url: string): Promise<string> {
  const res = await fetch(url);
  assert.equal(res.status, 200, `GET ${url}`);
  return res.text();
}

/** The log's verifier key as served at /log/vkey. */
export async function servedVkey(base: string): Promise<string> {
  return (await fetchText(`${base}/log/vkey`)).trim();
}

/** Verifies the log a server publishes, end to end, as an outside verifier would. */
export async function verifyServedLog(
  base: string,
  o: { readonly vkey?: string; readonly previous?: Checkpoint } = {},
): Promise<VerifiedLog> {
  const vkey = o.vkey ?? (await servedVkey(base));
  const fetchLog = httpLogFetch(`${base}/log`);
  const checkpoint = await fetchLog('checkpoint');
  assert.ok(checkpoint !== undefined, 'the log serves a checkpoint');
  return verifyTiledLog({
    checkpoint,
    verifiers: [noteVerifierFromKey(vkey)],
    fetch: fetchLog,
    ...(o.previous === undefined ? {} : { previous: o.previous }),
  });
}

/** The verified latest checkpoint of a served log. */
export async function servedCheckpoint(base: string, vkey?: string): Promise<Checkpoint> {
  const key = vkey ?? (await servedVkey(base));
  return openCheckpoint(await fetchText(`${base}/log/checkpoint`), [noteVerifierFromKey(key)]).checkpoint;
}

/** Asserts that a promise rejects with a `TlogVerifyError` of this code. */
export async function assertTlogCode(run: Promise<unknown>, code: TlogVerifyErrorCode): Promise<void> {
  await assert.rejects(run, (err: unknown) => {
    assert.ok(isTlogVerifyError(err), `not a TlogVerifyError: ${String(err)}`);
    assert.equal(err.code, code, `${err.code}: ${err.message}`);
    return true;
  });
}

/** Like `assertTlogCode`, for synchronous checks. */
export function assertTlogCodeSync(run: () => unknown, code: TlogVerifyErrorCode): void {
  assert.throws(run, (err: unknown) => {
    assert.ok(isTlogVerifyError(err), `not a TlogVerifyError: ${String(err)}`);
    assert.equal(err.code, code, `${err.code}: ${err.message}`);
    return true;
  });
}

/**
 * A test server (as `startTestServer`) whose data directory receives a copy of another data
 * directory's log signing key before it starts: the same instance, signing a different history.
 */
export async function startTestServerWithLogKey(engine: Engine, keyFromDataDir: string): Promise<TestServer> {
  const scratch = await scratchDatabase(engine);
  copyFileSync(join(keyFromDataDir, LOG_KEY_FILE), join(scratch.dataDir, LOG_KEY_FILE));
  const port = await freePort();
  const config: Config = loadConfig(
    { db: scratch.url, dataDir: scratch.dataDir, port, host: '127.0.0.1' },
    { TABELLA_SIGNIN_RATE_LIMIT: '1000', TABELLA_PUBLIC_URL: `http://127.0.0.1:${port}` },
  );
  const db = await openDatabase(config.db);
  const clock = new ManualClock(Date.parse('2026-11-03T12:00:00.000Z'));
  const app = await buildApp({ config, db, clock, logger: false, logIntervalMs: 0 });
  await app.listen({ port, host: '127.0.0.1' });
  return {
    url: config.publicUrl,
    app,
    db,
    config,
    clock,
    cli: { db: db.kysely, clock, config, actor: { kind: 'cli' } },
    setupCode: setupCodeOf(app),
    close: async () => {
      await app.close();
      await db.close();
      await scratch.cleanup();
    },
  };
}
