import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// Benchmarks are standalone (`node --import tsx bench/<file>.ts`): expose the collector without
// requiring --expose-gc on the command line, so heap figures are measured after a full GC.
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

export function heapAfterGc(): number {
  collect();
  collect();
  return process.memoryUsage().heapUsed;
}

/** Runs `fn` repeatedly for about `ms` milliseconds and returns operations per second. */
export function opsPerSecond(fn: (i: number) => void, ms = 1500): { ops: number; perSecond: number } {
  for (let i = 0; i < 1000; i++) fn(i);
  let ops = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let j = 0; j < 1000; j++) fn(ops++);
    now = performance.now();
  }
  return { ops, perSecond: (ops * 1000) / (now - start) };
}

export function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** Deterministic pseudo-random numbers (mulberry32) so runs are comparable. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const ip = (n: number): string =>
  `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
export const hex64 = (n: number): string => n.toString(16).padStart(8, '0').repeat(8);
