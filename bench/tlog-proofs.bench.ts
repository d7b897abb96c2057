// Inclusion- and consistency-proof generation at 10,000,000 entries (issue 5: aim < 100 µs).
// The tree's hashes are built once in memory, one Buffer per tree level (random leaf hashes; the
// levels above are real SHA-256 nodes), then proofs are timed through two hash readers:
//   - every level stored: what a store that keeps interior nodes does — no hashing but the right edge;
//   - tiles only (levels 0, 8, 16 as C2SP tiles): what a store that keeps only tiles does.
// Run: node --import tsx bench/tlog-proofs.bench.ts   (BENCH_TLOG_SIZE to change the size)
import { randomFillSync } from 'node:crypto';
import {
  consistencyProof,
  HASH_SIZE,
  type HashReader,
  hashChildren,
  inclusionProof,
  TILE_WIDTH,
  tileHashReader,
  treeRoot,
  verifyInclusion,
} from '../src/tlog/index.ts';

const SIZE = Number(process.env.BENCH_TLOG_SIZE ?? 10_000_000);

function buildLevels(size: number): Buffer[] {
  const levels = [randomFillSync(Buffer.allocUnsafe(size * HASH_SIZE))];
  for (let count = Math.floor(size / 2); count > 0; count = Math.floor(count / 2)) {
    const below = levels[levels.length - 1] as Buffer;
    const level = Buffer.allocUnsafe(count * HASH_SIZE);
    for (let i = 0; i < count; i++) {
      const left = below.subarray(2 * i * HASH_SIZE, (2 * i + 1) * HASH_SIZE);
      const right = below.subarray((2 * i + 1) * HASH_SIZE, (2 * i + 2) * HASH_SIZE);
      level.set(hashChildren(left, right), i * HASH_SIZE);
    }
    levels.push(level);
  }
  return levels;
}

function time(label: string, runs: number, fn: (i: number) => void): void {
  for (let i = 0; i < Math.min(200, runs); i++) fn(i); // warm-up
  const samples = new Float64Array(runs);
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    fn(i);
    samples[i] = Number(process.hrtime.bigint() - t0) / 1000;
  }
  samples.sort();
  const mean = samples.reduce((a, b) => a + b, 0) / runs;
  const pct = (p: number) => (samples[Math.min(runs - 1, Math.floor(runs * p))] ?? 0).toFixed(1);
  console.log(`  ${label.padEnd(52)} mean ${mean.toFixed(1)} µs, p50 ${pct(0.5)} µs, p99 ${pct(0.99)} µs`);
}

const t0 = performance.now();
const levels = buildLevels(SIZE);
const buildSeconds = (performance.now() - t0) / 1000;
const bytes = levels.reduce((sum, l) => sum + l.byteLength, 0);
console.log(
  'tree of %s entries built in %s s (%s node hashes/s), %s MB of hashes',
  SIZE.toLocaleString('en'),
  buildSeconds.toFixed(1),
  Math.round(SIZE / buildSeconds).toLocaleString('en'),
  Math.round(bytes / 2 ** 20),
);

const allLevels: HashReader = {
  readHashes: (nodes) =>
    nodes.map(({ level, index }) =>
      (levels[level] as Buffer).subarray(index * HASH_SIZE, (index + 1) * HASH_SIZE),
    ),
};
const tilesOnly = tileHashReader(SIZE, ({ level, index, width }) => {
  const row = levels[level * 8] as Buffer;
  const start = index * TILE_WIDTH * HASH_SIZE;
  return row.subarray(start, start + width * HASH_SIZE);
});

const root = treeRoot(allLevels, SIZE);
const random = (seed: number, max: number) =>
  Math.floor((((seed * 2654435761) % 4294967296) / 4294967296) * max);
const leafAt = (i: number) => (levels[0] as Buffer).subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE);
{
  const i = random(12345, SIZE);
  verifyInclusion(leafAt(i), i, SIZE, inclusionProof(allLevels, i, SIZE), root);
  verifyInclusion(leafAt(i), i, SIZE, inclusionProof(tilesOnly, i, SIZE), root);
}

console.log('proof generation at %s entries (random leaves, sizes):', SIZE.toLocaleString('en'));
time('inclusion proof, every level stored', 20_000, (i) => inclusionProof(allLevels, random(i, SIZE), SIZE));
time('consistency proof, every level stored', 20_000, (i) =>
  consistencyProof(allLevels, 1 + random(i, SIZE - 1), SIZE),
);
time('inclusion proof, tiles only', 2_000, (i) => inclusionProof(tilesOnly, random(i, SIZE), SIZE));
time('consistency proof, tiles only', 2_000, (i) =>
  consistencyProof(tilesOnly, 1 + random(i, SIZE - 1), SIZE),
);
const proofs = Array.from({ length: 1000 }, (_, i) => {
  const index = random(i, SIZE);
  return { index, proof: inclusionProof(allLevels, index, SIZE) };
});
time('inclusion proof verification', 1000, (i) => {
  const { index, proof } = proofs[i] as { index: number; proof: Uint8Array[] };
  verifyInclusion(leafAt(index), index, SIZE, proof, root);
});
