// Start to healthy on SQLite (issue 2): spawn `tabella serve`, poll /healthz until it answers.
// Baseline in the same run: how long plain `node -e ''` takes to start and exit on this machine,
// so the figure can be read against the machine's own noise.
import { execFileSync } from 'node:child_process';
import { median, removeDir, startServer } from './support.ts';

const RUNS = 5;
const baseline: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const t0 = performance.now();
  execFileSync(process.execPath, ['-e', '']);
  baseline.push(performance.now() - t0);
}

const cold: number[] = [];
const warm: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const first = await startServer();
  cold.push(first.startToHealthyMs);
  await first.stop();
  // Second start on the same data directory: migrations already applied.
  const again = await startServer(first.dataDir);
  warm.push(again.startToHealthyMs);
  await again.stop();
  removeDir(first.dataDir);
}

console.log('startup (SQLite), median of %d runs', RUNS);
console.log('  baseline node -e "" : %s ms', median(baseline).toFixed(0));
console.log(
  '  fresh data dir      : %s ms to healthy (creates and migrates the database)',
  median(cold).toFixed(0),
);
console.log('  existing data dir   : %s ms to healthy', median(warm).toFixed(0));
