// Tile requests per second (issue 5): a full hash tile, a full entry bundle and the checkpoint,
// served by `tabella serve` on SQLite in its own process; baseline in the same run: /healthz.
import autocannon from 'autocannon';
import { cli, removeDir, startServer } from './support.ts';

const DURATION = Number(process.env.BENCH_DURATION ?? 8);
process.env.TABELLA_LOG_INTERVAL_MS = '100';
const server = await startServer();
const org = cli(server.dataDir, [
  'org',
  'create',
  '--name',
  'Bench County',
  '--kind',
  'government',
  '--role',
  'election-office',
  '--vetted',
]) as { id: string };
const admin = cli(server.dataDir, [
  'member',
  'create',
  '--org',
  org.id,
  '--email',
  'admin@bench.example',
  '--role',
  'admin',
]) as { id: string };
const { token } = cli(server.dataDir, ['token', 'create', '--member', admin.id]) as { token: string };
for (let i = 0; i < 300; i++) {
  await fetch(`${server.url}/api/v1/orgs/${org.id}/members`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ email: `m${i}@bench.example`, roles: ['official'] }),
  });
}
for (;;) {
  const size = Number((await (await fetch(`${server.url}/log/checkpoint`)).text()).split('\n')[1]);
  if (size >= 256) break;
  await new Promise((r) => setTimeout(r, 100));
}

async function run(title: string, path: string) {
  await autocannon({ url: `${server.url}${path}`, connections: 10, duration: 2 });
  const r = await autocannon({ url: `${server.url}${path}`, connections: 50, duration: DURATION });
  console.log(
    '  %s: %s req/s, p50 %s ms, p99 %s ms, non-2xx %d',
    title.padEnd(34),
    r.requests.average.toFixed(0),
    r.latency.p50,
    r.latency.p99,
    r.non2xx + r.errors,
  );
}

console.log('log serving on SQLite, 50 connections, %d s each', DURATION);
await run('GET /healthz (baseline)', '/healthz');
await run('GET /log/tile/0/000 (full tile)', '/log/tile/0/000');
await run('GET /log/tile/entries/000 (bundle)', '/log/tile/entries/000');
await run('GET /log/checkpoint', '/log/checkpoint');
await server.stop();
removeDir(server.dataDir);
