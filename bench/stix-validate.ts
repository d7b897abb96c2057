// STIX validation and streaming throughput on the shared bundles (../shared/data/stix), and a
// synthetic bundle for the streaming parser alone.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  parseBundleStream,
  serializeBundle,
  validateBundleStream,
  validateObject,
} from '../src/stix/index.ts';
import { fmt } from './patterns/support.ts';

const dir = fileURLToPath(new URL('../../shared/data/stix/', import.meta.url));
const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')) : [];

async function* chunked(text: string, size = 64 * 1024): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

if (files.length === 0) console.log(`SKIPPED shared bundles: none at ${dir}`);
for (const file of files) {
  const text = readFileSync(`${dir}${file}`, 'utf8');
  const objects = (JSON.parse(text) as { objects: unknown[] }).objects;
  let t = performance.now();
  let rounds = 0;
  while (performance.now() - t < 1000) {
    for (const o of objects) validateObject(o);
    rounds++;
  }
  const perSecond = (rounds * objects.length * 1000) / (performance.now() - t);
  t = performance.now();
  const result = await validateBundleStream(chunked(text));
  const streamMs = performance.now() - t;
  console.log(
    `${file}: ${fmt(objects.length)} objects, ${result.errors} errors; validateObject ${fmt(perSecond)} objects/s; ` +
      `streamed parse+validate ${((text.length / 1e6 / streamMs) * 1000).toFixed(1)} MB/s`,
  );
}

// Streaming parser alone on a synthetic ~50 MB bundle built in chunks (never as one string).
const N = Number(process.env.BENCH_STIX_OBJECTS ?? 100_000);
const sample = {
  type: 'indicator',
  spec_version: '2.1',
  id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
  created: '2024-11-05T12:00:00.000Z',
  modified: '2024-11-05T12:00:00.000Z',
  name: 'Phishing domain impersonating an election office',
  description: 'x'.repeat(300),
  pattern: "[domain-name:value = 'vote-status.example']",
  pattern_type: 'stix',
  valid_from: '2024-11-01T00:00:00Z',
};
async function* synthetic(): AsyncGenerator<string> {
  let buffer = '';
  for await (const chunk of serializeBundle(Array.from({ length: N }, () => sample))) {
    buffer += chunk;
    if (buffer.length > 64 * 1024) {
      yield buffer;
      buffer = '';
    }
  }
  yield buffer;
}
let bytes = 0;
let count = 0;
const t0 = performance.now();
async function* counted(): AsyncGenerator<string> {
  for await (const c of synthetic()) {
    bytes += c.length;
    yield c;
  }
}
for await (const e of parseBundleStream(counted())) if (e.kind === 'object') count++;
const ms = performance.now() - t0;
console.log(
  `streaming parse (synthetic): ${fmt(count)} objects, ${(bytes / 1e6).toFixed(0)} MB in ${(ms / 1000).toFixed(2)} s = ${((bytes / 1e6 / ms) * 1000).toFixed(1)} MB/s, ` +
    `peak RSS ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`,
);
