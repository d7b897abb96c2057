// TAXII 2.1 add-objects under load (issue 10 §2): `tabella serve` in its own process, on SQLite and
// (when reachable) PostgreSQL, is sent envelopes of 1k, 10k and 100k objects — valid indicators and
// empty objects `{}` (each a failure) — while /healthz is polled every ~10 ms. Reported per
// envelope: the time per object (µs/object, which must stay flat as the envelope grows) and the
// /healthz latency during the request (max and p99; aim: max < 50 ms), measured from a worker thread.
//
// Run: node --import tsx bench/taxii-add.bench.ts (or npm run bench taxii-add)
// BENCH_TAXII_ENGINES=sqlite limits the engines, BENCH_TAXII_SIZES=1000,10000 the sizes and
// BENCH_TAXII_KINDS=empty the kinds of envelope. PostgreSQL comes from TABELLA_TEST_PG (default
// postgres://postgres@127.0.0.1:5432/postgres); a throw-away schema is used and dropped. The body limit is raised to 64 MiB: 100k indicators are ~28 MB.
import { Worker } from 'node:worker_threads';
import { type Engine, scratchDatabase } from '../test/support/databases.ts';
import { benchIndicator, quantile, cli as runCli, startServer } from './support.ts';

process.env.TABELLA_TEST_PG ??= 'postgres://postgres@127.0.0.1:5432/postgres';
const ENGINES = (process.env.BENCH_TAXII_ENGINES ?? 'sqlite,postgres').split(',') as Engine[];
const SIZES = (process.env.BENCH_TAXII_SIZES ?? '1000,10000,100000').split(',').map(Number);
const KINDS = (process.env.BENCH_TAXII_KINDS ?? 'indicators,empty').split(',');
const BODY_LIMIT = 64 * 1024 * 1024;
const MEDIA = 'application/taxii+json;version=2.1';
const POLL_MS = 10;

const indicator = (i: number) => benchIndicator(i);

/**
 * The /healthz poller, in a worker thread of its own: the bench's main thread builds and sends
 * 30 MB bodies and parses the answers, and its own pauses must not count as the server's.
 */
const POLLER = `
const { parentPort, workerData } = require('node:worker_threads');
let running = true;
const latencies = [];
parentPort.once('message', () => { running = false; });
(async () => {
  // The first fetch of a thread sets up its HTTP client and connection: not the server's time.
  await (await fetch(workerData.url + '/healthz')).text();
  parentPort.postMessage('ready');
  while (running) {
    const t0 = performance.now();
    try {
      const res = await fetch(workerData.url + '/healthz');
      await res.text();
    } catch {
      latencies.push(Number.POSITIVE_INFINITY);
      break;
    }
    const ms = performance.now() - t0;
    latencies.push(ms);
    await new Promise((r) => setTimeout(r, Math.max(0, workerData.pollMs - ms)));
  }
  parentPort.postMessage(latencies);
})();
`;

/** Polls /healthz every POLL_MS until stopped (or the server stops answering); latencies in ms. */
async function pollHealth(url: string): Promise<{ stop(): Promise<number[]> }> {
  const worker = new Worker(POLLER, { eval: true, workerData: { url, pollMs: POLL_MS } });
  const messages: ((m: unknown) => void)[] = [];
  worker.on('message', (m) => messages.shift()?.(m));
  const next = () => new Promise<unknown>((resolve) => messages.push(resolve));
  await next(); // 'ready'
  const done = next() as Promise<number[]>;
  return {
    stop: async () => {
      worker.postMessage('stop');
      const latencies = await done;
      await worker.terminate();
      return latencies;
    },
  };
}

async function run(engine: Engine): Promise<void> {
  let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
  try {
    scratch = await scratchDatabase(engine);
  } catch (err) {
    console.log(`\n[${engine}] skipped: ${(err as Error).message}`);
    return;
  }
  console.log(`\n[${engine}]`);
  const env = { TABELLA_DB: scratch.url, TABELLA_BODY_LIMIT: String(BODY_LIMIT) };
  const server = await startServer(scratch.dataDir, env);
  const cli = (args: readonly string[]) => runCli(scratch.dataDir, args, env) as Record<string, string>;
  try {
    const org = cli([
      'org',
      'create',
      '--name',
      'Bench County',
      '--kind',
      'government',
      '--role',
      'election-office',
      '--vetted',
    ]);
    const member = cli([
      'member',
      'create',
      '--org',
      org.id ?? '',
      '--email',
      'bench@example.org',
      '--role',
      'analyst',
    ]);
    const { token } = cli(['token', 'create', '--member', member.id ?? '']);
    const authorization = `Basic ${Buffer.from(`bench@example.org:${token}`).toString('base64')}`;
    const headers = { accept: MEDIA, authorization };
    const cols = (await (await fetch(`${server.url}/taxii2/api/collections/`, { headers })).json()) as {
      collections: { id: string; title: string }[];
    };
    const own = cols.collections.find((c) => c.title === 'Bench County');
    if (own === undefined) throw new Error('no collection of its own');
    const objectsUrl = `${server.url}/taxii2/api/collections/${own.id}/objects/`;

    const post = async (body: string) => {
      try {
        const res = await fetch(objectsUrl, {
          method: 'POST',
          headers: { ...headers, 'content-type': MEDIA },
          body,
        });
        return { status: res.status, text: await res.text() };
      } catch (err) {
        return { status: 0, text: JSON.stringify({ error: String((err as Error).cause ?? err) }) };
      }
    };
    await post(JSON.stringify({ objects: Array.from({ length: 200 }, (_, i) => indicator(i)) })); // warm-up

    let next = 1_000;
    for (const kind of ['indicators', 'empty'] as const) {
      if (!KINDS.includes(kind)) continue;
      for (const n of SIZES) {
        const objects =
          kind === 'empty'
            ? Array.from({ length: n }, () => ({}))
            : Array.from({ length: n }, () => indicator(next++));
        const body = JSON.stringify({ objects });
        const poller = await pollHealth(server.url);
        const t0 = performance.now();
        const r = await post(body);
        const ms = performance.now() - t0;
        const health = await poller.stop();
        const status = JSON.parse(r.text) as Record<string, number | string>;
        const expected = kind === 'empty' ? status.failure_count : status.success_count;
        const ok = r.status === 202 && status.status === 'complete' && expected === n;
        console.log(
          `  ${kind.padEnd(10)} ${String(n).padStart(7)} objects (${(body.length / 1024).toFixed(0).padStart(6)} KiB): ` +
            `${(ms / 1000).toFixed(2).padStart(6)} s, ${((ms * 1000) / n).toFixed(1).padStart(6)} µs/object; ` +
            `/healthz ×${health.length} max ${Math.max(...health).toFixed(1)} ms, p99 ${quantile(health, 0.99).toFixed(1)} ms` +
            (ok ? '' : `  UNEXPECTED: HTTP ${r.status} ${r.text.slice(0, 200)}`),
        );
        if (r.status === 0) return;
      }
    }
  } finally {
    await server.stop();
    await scratch.cleanup();
  }
}

for (const engine of ENGINES) await run(engine);
