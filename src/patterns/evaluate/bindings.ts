import { PatternEvaluationError } from '../errors.ts';

/**
 * A binding assigns observation instances to the simple observation expressions of a pattern; an
 * instance id is `observationIndex × instanceCap + n` for the n-th of `number_observed` instances.
 * Generators below mirror the reference matcher's lazy joins, so a match stops at the first binding.
 */
export type Binding = readonly number[];

/** Counts work so hostile patterns and data stop with EVALUATION_LIMIT instead of running forever. */
export class Budget {
  #steps = 0;
  readonly #max: number;

  constructor(max: number) {
    this.#max = max;
  }

  tick(n = 1): void {
    this.#steps += n;
    if (this.#steps > this.#max) {
      throw new PatternEvaluationError('EVALUATION_LIMIT', `evaluation exceeded ${this.#max} steps`);
    }
  }
}

export function disjoint(a: Binding, b: Binding, budget: Budget): boolean {
  budget.tick(a.length * b.length);
  for (const x of a) for (const y of b) if (x === y) return false;
  return true;
}

/**
 * All pairs (l, r) with `accept(l, r)`, produced incrementally from two lazy sources so the first
 * results arrive before either source is exhausted (the reference matcher's cached product).
 */
export function* join(
  lhs: Iterator<Binding>,
  rhs: Iterator<Binding>,
  accept: (l: Binding, r: Binding) => boolean,
): Generator<Binding> {
  const lc: Binding[] = [];
  const rc: Binding[] = [];
  let l = lhs.next();
  let r = rhs.next();
  if (l.done === true || r.done === true) return;
  while (l.done !== true || r.done !== true) {
    if (r.done !== true) {
      const rb = r.value;
      for (const lb of lc) if (accept(lb, rb)) yield [...lb, ...rb];
      rc.push(rb);
      r = rhs.next();
    }
    if (l.done !== true) {
      const lb = l.value;
      for (const rb of rc) if (accept(lb, rb)) yield [...lb, ...rb];
      lc.push(lb);
      l = lhs.next();
    }
  }
}

/** Bindings of either side, interleaved (pattern-level OR). */
export function* interleave(sources: Iterator<Binding>[]): Generator<Binding> {
  let live = sources;
  while (live.length > 0) {
    const next: Iterator<Binding>[] = [];
    for (const source of live) {
      const r = source.next();
      if (r.done !== true) {
        yield r.value;
        next.push(source);
      }
    }
    live = next;
  }
}

export function* filter(source: Iterable<Binding>, keep: (b: Binding) => boolean): Generator<Binding> {
  for (const b of source) if (keep(b)) yield b;
}

/** Combinations of `size` pairwise-disjoint bindings (REPEATS), found incrementally. */
export function* disjointCombinations(
  source: Iterable<Binding>,
  size: number,
  budget: Budget,
): Generator<Binding> {
  if (size === 1) {
    yield* source;
    return;
  }
  const seen: Binding[] = [];
  for (const b of source) {
    const candidates = seen.filter((s) => disjoint(s, b, budget));
    if (candidates.length >= size - 1) {
      for (const combo of choose(candidates, size - 1, 0, [], budget)) yield [...combo, ...b];
    }
    seen.push(b);
  }
}

function* choose(
  list: readonly Binding[],
  k: number,
  from: number,
  chosen: Binding,
  budget: Budget,
): Generator<Binding> {
  if (k === 0) {
    yield chosen;
    return;
  }
  for (let i = from; i <= list.length - k; i++) {
    const candidate = list[i]!;
    budget.tick();
    if (disjoint(chosen, candidate, budget))
      yield* choose(list, k - 1, i + 1, [...chosen, ...candidate], budget);
  }
}
