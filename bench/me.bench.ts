// GET /api/v1/me with an API token (issue 2): requests/s and p99 with autocannon, against
// `tabella serve` on SQLite in its own process. Baseline in the same run: GET /healthz, which
// does no authentication and no database work.
import autocannon from 'autocannon';
import { cli, removeDir, startServer } from './support.ts';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = 50;

const server = await startServer();
const org = cli(server.dataDir, [
  'org',
  'create',
  '--name',
  'Bench Office',
  '--kind',
  'government',
  '--role',
  'election-office',
  '--vetted',
]) as {
  id: string;
};
const member = cli(server.dataDir, [
  'member',
  'create',
  '--org',
  org.id,
  '--email',
  'bench@example.org',
  '--role',
  'analyst',
]) as {
  id: string;
};
const { token } = cli(server.dataDir, ['token', 'create', '--member', member.id]) as { token: string };

async function run(title: string, path: string, headers: Record<string, string> = {}) {
  // Warm-up: JIT, statement caches, the token's last-used write.
  await autocannon({ url: `${server.url}${path}`, connections: 10, duration: 2, headers });
  const r = await autocannon({
    url: `${server.url}${path}`,
    connections: CONNECTIONS,
    duration: DURATION,
    headers,
  });
  const non2xx = r.non2xx + r.errors;
  console.log(
    '  %s: %s req/s (mean), p50 %s ms, p99 %s ms, errors/non-2xx %d',
    title.padEnd(28),
    r.requests.average.toFixed(0),
    r.latency.p50,
    r.latency.p99,
    non2xx,
  );
}

console.log(
  'HTTP throughput on SQLite, %d connections, %d s each (server in its own process)',
  CONNECTIONS,
  DURATION,
);
await run('GET /healthz (baseline)', '/healthz');
await run('GET /api/v1/me with token', '/api/v1/me', { authorization: `Bearer ${token}` });
await server.stop();
removeDir(server.dataDir);
