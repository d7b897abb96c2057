// The compiled matcher at scale (issue 3 benchmarks): 1,000,000 simple indicators plus 10,000
// complex ones — compile time, heap per simple indicator, observations per second on one core.
import { CompiledMatcher, collectObservations, type Observation } from '../src/patterns/index.ts';
import { fmt, heapAfterGc, hex64, ip, opsPerSecond, rng } from './patterns/support.ts';

const SIMPLE = Number(process.env.BENCH_SIMPLE ?? 1_000_000);
const COMPLEX = Number(process.env.BENCH_COMPLEX ?? 10_000);
const random = rng(42);

function simplePattern(i: number): string {
  switch (i % 20) {
    case 0:
      return `[ipv4-addr:value ISSUBSET '${ip(0x0a000000 + i * 256)}/24']`;
    case 1:
    case 2:
    case 3:
      return `[domain-name:value = 'd${i}.example']`;
    case 4:
    case 5:
      return `[url:value = 'http://u${i}.example/login.php']`;
    case 6:
    case 7:
    case 8:
      return `[file:hashes.'SHA-256' = '${hex64(i)}']`;
    default:
      return `[ipv4-addr:value = '${ip(0xc0000000 + i)}']`;
  }
}

function complexPattern(i: number): string {
  switch (i % 4) {
    case 0:
      return `[domain-name:value = 'c${i}.example'] FOLLOWEDBY [url:value LIKE '%/c${i}/%'] WITHIN 600 SECONDS`;
    case 1:
      return `[file:name = 'f${i}.exe' AND file:size > 1000]`;
    case 2:
      return `[network-traffic:dst_ref.value = '${ip(0xc6336400 + i)}' AND network-traffic:dst_port IN (443, 8443)]`;
    default:
      return `[email-message:from_ref.value = 'p${i}@phish.example' AND email-message:subject MATCHES '(?i)ballot|vot(e|ing)']`;
  }
}

const before = heapAfterGc();
const matcher = new CompiledMatcher();
let t = performance.now();
for (let i = 0; i < SIMPLE; i++) matcher.add(i, simplePattern(i));
const simpleMs = performance.now() - t;
const afterSimple = heapAfterGc();
t = performance.now();
for (let i = 0; i < COMPLEX; i++) matcher.add(SIMPLE + i, complexPattern(i));
const complexMs = performance.now() - t;
const afterAll = heapAfterGc();

console.log(`indicators: ${fmt(SIMPLE)} simple + ${fmt(COMPLEX)} complex`, matcher.stats());
console.log(
  `compile time: ${(simpleMs / 1000).toFixed(1)} s simple (${fmt((SIMPLE * 1000) / simpleMs)} /s), ${(complexMs / 1000).toFixed(2)} s complex`,
);
console.log(
  `heap per simple indicator: ${((afterSimple - before) / SIMPLE).toFixed(0)} bytes; complex: ${((afterAll - afterSimple) / COMPLEX).toFixed(0)} bytes`,
);

// Sensor-like observations: one observed-data with one SCO (sometimes traffic plus address), ~2% hits.
const T = '2024-11-05T12:00:00Z';
function observed(i: number): unknown[] {
  const hit = random() < 0.02;
  const n = Math.floor(random() * SIMPLE);
  let objects: Record<string, unknown>;
  switch (i % 5) {
    case 0:
      objects = {
        '0': { type: 'ipv4-addr', value: hit ? ip(0xc0000000 + n - (n % 20) + 9) : ip(0x08000000 + n) },
      };
      break;
    case 1:
      objects = {
        '0': { type: 'domain-name', value: hit ? `d${n - (n % 20) + 1}.example` : `benign${n}.example` },
      };
      break;
    case 2:
      objects = {
        '0': { type: 'url', value: `http://${hit ? `u${n - (n % 20) + 4}` : `ok${n}`}.example/login.php` },
      };
      break;
    case 3:
      objects = {
        '0': {
          type: 'file',
          name: `doc${n}.pdf`,
          hashes: { 'SHA-256': hit ? hex64(n - (n % 20) + 6) : hex64(n + 7e8) },
        },
      };
      break;
    default:
      objects = {
        '0': {
          type: 'ipv4-addr',
          value: hit ? ip(0x0a000000 + (n - (n % 20)) * 256 + 7) : ip(0x09000000 + n),
        },
        '1': { type: 'network-traffic', dst_ref: '0', dst_port: 443, protocols: ['tcp'] },
      };
  }
  return [{ type: 'observed-data', first_observed: T, last_observed: T, number_observed: 1, objects }];
}

const inputs = Array.from({ length: 50_000 }, (_, i) => observed(i));
const prepared: Observation[][] = inputs.map((o) => collectObservations(o, '2.0'));
let hits = 0;
const raw = opsPerSecond((i) => {
  hits += matcher.match(inputs[i % inputs.length]!, '2.0').length;
}, 2000);
const pre = opsPerSecond((i) => {
  matcher.matchObservations(prepared[i % prepared.length]!);
}, 2000);
console.log(
  `observations/s (one core): ${fmt(raw.perSecond)} from JSON objects, ${fmt(pre.perSecond)} pre-collected; ${fmt(hits)} matches in ${fmt(raw.ops)} observations`,
);
