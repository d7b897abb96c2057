// Leaf hashing and appends per second of the in-memory tree builder (the sequencer's hot path),
// checkpoint signing/opening, and end-to-end verification of a tiled log. In-memory only: durable
// appends on SQLite/PostgreSQL are the log store's benchmark.
// Run: node --import tsx bench/tlog-append.bench.ts
import { randomFillSync } from 'node:crypto';
import {
  generateNoteKey,
  hashLeaf,
  MemoryTiledLog,
  noteSignerFromKey,
  noteVerifierFromKey,
  openCheckpoint,
  signCheckpoint,
  TreeBuilder,
  verifyTiledLog,
} from '../src/tlog/index.ts';

const N = Number(process.env.BENCH_TLOG_APPENDS ?? 1_000_000);

function rate(label: string, count: number, fn: () => void): void {
  const t0 = performance.now();
  fn();
  const seconds = (performance.now() - t0) / 1000;
  console.log(
    `  ${label.padEnd(50)} ${Math.round(count / seconds)
      .toLocaleString('en')
      .padStart(10)} /s`,
  );
}

// Entries the size of an audit event's canonical JSON (~200 bytes).
const entries = Array.from({ length: N }, (_, i) =>
  Buffer.from(
    `{"action":"intel.read","actor":{"member":"m-${i % 977}","org":"o-${i % 89}"},"at":"2025-01-01T00:00:00Z","digest":"${randomFillSync(Buffer.alloc(32)).toString('hex')}","seq":${i}}`,
  ),
);
const leaves = entries.map((e) => hashLeaf(e));

console.log(
  'in-memory tree builder, %s entries of ~%d bytes:',
  N.toLocaleString('en'),
  entries[0]?.byteLength,
);
rate('leaf hashes (SHA-256 of 0x00 || entry)', N, () => {
  for (const e of entries) hashLeaf(e);
});
rate('appendLeafHash (node hashes + tiles)', N, () => {
  const tree = new TreeBuilder();
  for (const leaf of leaves) tree.appendLeafHash(leaf);
  tree.takeFullTiles();
});
rate('appendEntry (leaf hash + node hashes + tiles)', N, () => {
  const tree = new TreeBuilder();
  for (const e of entries) tree.appendEntry(e);
  tree.takeFullTiles();
});

const tree = new TreeBuilder();
for (const leaf of leaves) tree.appendLeafHash(leaf);
rate('root() of the current tree', 100_000, () => {
  for (let i = 0; i < 100_000; i++) tree.root();
});

const signer = noteSignerFromKey(generateNoteKey('bench.tabella/log').signerKey);
const verifiers = [noteVerifierFromKey(signer.verifierKey)];
const cp = { origin: 'bench.tabella/log', size: tree.size, rootHash: tree.root(), extensions: [] };
const note = signCheckpoint(cp, [signer]);
console.log('checkpoints (Ed25519):');
rate('signCheckpoint', 5_000, () => {
  for (let i = 0; i < 5_000; i++) signCheckpoint(cp, [signer]);
});
rate('openCheckpoint (verify + parse)', 5_000, () => {
  for (let i = 0; i < 5_000; i++) openCheckpoint(note, verifiers);
});

const VERIFY_N = Math.min(N, 200_000);
const log = new MemoryTiledLog('bench.tabella/log', [signer]);
log.append(entries.slice(0, VERIFY_N));
const published = log.publish();
console.log('verifyTiledLog on an in-memory tiled log of %s entries:', VERIFY_N.toLocaleString('en'));
const t0 = performance.now();
const result = await verifyTiledLog({ checkpoint: published, verifiers, fetch: log.fetch });
const seconds = (performance.now() - t0) / 1000;
console.log(
  `  ${'entries verified (entries, tiles, root)'.padEnd(50)} ${Math.round(result.entriesChecked / seconds)
    .toLocaleString('en')
    .padStart(10)} /s (${result.tilesChecked} tiles in ${seconds.toFixed(2)} s)`,
);
