import type { ObservationExpression, Pattern } from '../ast.ts';
import { parsePattern } from '../parser.ts';
import {
  type Binding,
  Budget,
  disjoint,
  disjointCombinations,
  filter,
  interleave,
  join,
} from './bindings.ts';
import { matchingRoots } from './comparison.ts';
import { collectObservations, type Observation, type StixVersion } from './observed.ts';

export interface MatchOptions {
  /** `'2.0'` requires observed-data with embedded `objects`; default `'2.1'` also accepts `object_refs`. */
  readonly stixVersion?: StixVersion;
  /** Upper bound on join/combination work before EVALUATION_LIMIT (default 5,000,000). */
  readonly maxSteps?: number;
}

/** Instances of one observation considered at most; more can never be bound at once. */
const MAX_INSTANCES = 10_000;

/** How many observation instances one binding of `expr` holds at most (bounds instance expansion). */
function bindingSize(expr: ObservationExpression): number {
  switch (expr.kind) {
    case 'observation':
      return 1;
    case 'obs-and':
    case 'obs-or':
      return expr.operands.reduce((n, o) => n + bindingSize(o), 0);
    case 'followedby':
      return bindingSize(expr.left) + bindingSize(expr.right);
    case 'qualified':
      return expr.qualifier.kind === 'repeats'
        ? Math.min(MAX_INSTANCES, expr.qualifier.times * bindingSize(expr.expression))
        : bindingSize(expr.expression);
  }
}

class Evaluation {
  readonly #obs: readonly Observation[];
  readonly #cap: number;
  readonly #budget: Budget;

  constructor(obs: readonly Observation[], cap: number, budget: Budget) {
    this.#obs = obs;
    this.#cap = cap;
    this.#budget = budget;
  }

  #interval(id: number): Observation {
    return this.#obs[Math.floor(id / this.#cap)]!;
  }

  #latestFirst(b: Binding): number {
    let t = Number.NEGATIVE_INFINITY;
    for (const id of b) t = Math.max(t, this.#interval(id).firstMicros);
    return t;
  }

  #earliestLast(b: Binding): number {
    let t = Number.POSITIVE_INFINITY;
    for (const id of b) t = Math.min(t, this.#interval(id).lastMicros);
    return t;
  }

  *#simple(expr: Extract<ObservationExpression, { kind: 'observation' }>): Generator<Binding> {
    for (const o of this.#obs) {
      this.#budget.tick(o.roots.length + 1);
      if (matchingRoots(expr.comparison, o).size === 0) continue;
      const n = Math.min(o.count, this.#cap);
      for (let i = 0; i < n; i++) yield [o.index * this.#cap + i];
    }
  }

  bindings(expr: ObservationExpression): Iterator<Binding> {
    const budget = this.#budget;
    switch (expr.kind) {
      case 'observation':
        return this.#simple(expr);
      case 'obs-or':
        return interleave(expr.operands.map((o) => this.bindings(o)));
      case 'obs-and':
        // Each side binds different instances (STIX 2.1 §9.5: AND across observations).
        return expr.operands
          .slice(1)
          .reduce<Iterator<Binding>>(
            (acc, o) => join(acc, this.bindings(o), (l, r) => disjoint(l, r, budget)),
            this.bindings(expr.operands[0]!),
          );
      case 'followedby':
        // It must be possible to pick times with every left observation at or before every right one.
        return join(
          this.bindings(expr.left),
          this.bindings(expr.right),
          (l, r) => disjoint(l, r, budget) && this.#latestFirst(l) <= this.#earliestLast(r),
        );
      case 'qualified':
        return this.#qualified(expr);
    }
  }

  #qualified(expr: Extract<ObservationExpression, { kind: 'qualified' }>): Iterator<Binding> {
    const inner = { [Symbol.iterator]: () => this.bindings(expr.expression) };
    const q = expr.qualifier;
    switch (q.kind) {
      case 'repeats':
        return disjointCombinations(inner, q.times, this.#budget);
      case 'within': {
        // A window of the given length must overlap every bound observation's interval.
        const micros = q.seconds * 1_000_000;
        return filter(inner, (b) => this.#latestFirst(b) <= this.#earliestLast(b) + micros);
      }
      case 'start-stop': {
        const start = q.start.epochMicros;
        const stop = q.stop.epochMicros;
        // Each interval must meet [start, stop): STOP itself is excluded (STIX 2.1 §9.7).
        return filter(
          inner,
          (b) =>
            start < stop &&
            b.every((id) => this.#interval(id).firstMicros < stop && this.#interval(id).lastMicros >= start),
        );
      }
    }
  }
}

/**
 * Tells whether a pattern matches observed data (STIX 2.1 §9): observed-data objects with their
 * SCOs, given as bundles, a flat list, or STIX 2.0 observed-data with embedded objects.
 *
 * @throws {PatternSyntaxError} when `pattern` is text that does not parse.
 * @throws {PatternEvaluationError} when the observed data is malformed or the work bound is hit.
 * @example
 * matchPattern("[ipv4-addr:value = '10.0.0.1']", [bundle]); // true or false
 */
export function matchPattern(
  pattern: Pattern | string,
  observed: readonly unknown[],
  options: MatchOptions = {},
): boolean {
  const ast = typeof pattern === 'string' ? parsePattern(pattern) : pattern;
  return evaluateObservations(ast, collectObservations(observed, options.stixVersion ?? '2.1'), options);
}

/** Evaluates a parsed pattern against observations already collected by collectObservations. */
export function evaluateObservations(
  ast: Pattern,
  observations: readonly Observation[],
  options: Pick<MatchOptions, 'maxSteps'> = {},
): boolean {
  return firstBinding(ast, observations, options) !== undefined;
}

/** The observation indices of the first binding found, or undefined when the pattern does not match. */
function firstBinding(
  ast: Pattern,
  observations: readonly Observation[],
  options: Pick<MatchOptions, 'maxSteps'>,
): number[] | undefined {
  const cap = Math.max(1, bindingSize(ast.expression));
  const evaluation = new Evaluation(observations, cap, new Budget(options.maxSteps ?? 5_000_000));
  const first = evaluation.bindings(ast.expression).next();
  if (first.done === true) return undefined;
  return [...new Set(first.value.map((id) => Math.floor(id / cap)))].sort((a, b) => a - b);
}

/** Which observed-data objects satisfied a pattern (for sightings: observed_data_refs). */
export interface MatchEvidence {
  /** The matching observations, in input order; `id` is the observed-data identifier when present. */
  readonly observations: readonly Observation[];
}

/**
 * Like matchPattern, but returns the observed-data objects of one satisfying binding (the first
 * found, as the reference matcher's `match` reports SDOs), or undefined when there is none.
 *
 * @example
 * const evidence = findMatch(indicator.pattern, [bundle]);
 * const refs = evidence?.observations.flatMap((o) => (o.id === undefined ? [] : [o.id]));
 */
export function findMatch(
  pattern: Pattern | string,
  observed: readonly unknown[],
  options: MatchOptions = {},
): MatchEvidence | undefined {
  const ast = typeof pattern === 'string' ? parsePattern(pattern) : pattern;
  const observations = collectObservations(observed, options.stixVersion ?? '2.1');
  const indices = firstBinding(ast, observations, options);
  return indices === undefined ? undefined : { observations: indices.map((i) => observations[i]!) };
}
