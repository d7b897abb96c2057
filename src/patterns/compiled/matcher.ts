import type { PathStep, Pattern } from '../ast.ts';
import { evaluateObservations } from '../evaluate/match.ts';
import { collectObservations, type Observation, type StixVersion } from '../evaluate/observed.ts';
import { resolvePath } from '../evaluate/paths.ts';
import { parsePattern } from '../parser.ts';
import { analyze, valueKey } from './anchors.ts';
import { CidrIndex } from './cidr-index.ts';

/**
 * Handles stored under an index key: a non-negative number is an exact indicator (hitting the key
 * is a match), a negative one `-(h + 1)` is a candidate that still needs full evaluation.
 * A single handle is stored unboxed to keep simple indicators small.
 */
type Handles = number | number[];

interface IndexedPath {
  readonly key: string;
  readonly steps: readonly PathStep[];
  cidr: CidrIndex | undefined;
  values: boolean;
}

export interface MatcherStats {
  readonly indicators: number;
  /** Decided by index look-ups alone. */
  readonly exact: number;
  /** Found through the index, then evaluated in full. */
  readonly anchored: number;
  /** Without an indexable anchor: evaluated for every observation. */
  readonly unanchored: number;
}

const encodeCandidate = (handle: number): number => -(handle + 1);

/**
 * A set of indicator patterns compiled into one matcher (issue 3, "compiled matching"). Equality,
 * IN and ISSUBSET tests on any object path become hash or CIDR-prefix look-ups, so the cost per
 * observation does not grow with the number of indicators; only candidates found through the
 * index (and the rare patterns with no indexable test) are evaluated in full.
 *
 * Indicators are identified by caller-chosen integer handles (e.g. row numbers), which keeps the
 * per-indicator memory small.
 *
 * @example
 * const m = new CompiledMatcher();
 * m.add(0, "[ipv4-addr:value = '198.51.100.7']");
 * m.add(1, "[domain-name:value = 'evil.example'] FOLLOWEDBY [url:value LIKE '%/login%']");
 * m.match(observedBundles); // [0] when the address was observed
 */
export class CompiledMatcher {
  readonly #index = new Map<string, Handles>();
  readonly #paths = new Map<string, IndexedPath[]>();
  readonly #full = new Map<number, Pattern>();
  readonly #unanchored: number[] = [];
  #exact = 0;
  #anchored = 0;

  /** Adds an indicator; throws PatternSyntaxError for an invalid pattern text. */
  add(handle: number, pattern: string | Pattern): void {
    if (!Number.isSafeInteger(handle) || handle < 0)
      throw new RangeError('handles are non-negative integers');
    const ast = typeof pattern === 'string' ? parsePattern(pattern) : pattern;
    const { anchors, exact } = analyze(ast);
    if (anchors === undefined) {
      this.#unanchored.push(handle);
      this.#full.set(handle, ast);
      return;
    }
    if (exact) this.#exact++;
    else {
      this.#anchored++;
      this.#full.set(handle, ast);
    }
    const stored = exact ? handle : encodeCandidate(handle);
    for (const anchor of anchors) {
      const path = this.#path(anchor.objectType, anchor.steps);
      if (anchor.kind === 'value') {
        path.values = true;
        this.#addHandle(`${path.key}\u0000${anchor.valueKey}`, stored);
      } else {
        path.cidr ??= new CidrIndex();
        path.cidr.add(anchor.block, stored);
      }
    }
  }

  #path(objectType: string, steps: readonly PathStep[]): IndexedPath {
    const key = `${objectType}\u0000${JSON.stringify(steps)}`;
    let list = this.#paths.get(objectType);
    if (list === undefined) {
      list = [];
      this.#paths.set(objectType, list);
    }
    let path = list.find((p) => p.key === key);
    if (path === undefined) {
      path = { key, steps, cidr: undefined, values: false };
      list.push(path);
    }
    return path;
  }

  #addHandle(key: string, stored: number): void {
    const current = this.#index.get(key);
    if (current === undefined) this.#index.set(key, stored);
    else if (typeof current === 'number') this.#index.set(key, [current, stored]);
    else current.push(stored);
  }

  stats(): MatcherStats {
    return {
      indicators: this.#exact + this.#anchored + this.#unanchored.length,
      exact: this.#exact,
      anchored: this.#anchored,
      unanchored: this.#unanchored.length,
    };
  }

  /**
   * Returns the handles of the indicators that match the observed data (same input forms as
   * matchPattern), in ascending order. Malformed observed data raises PatternEvaluationError.
   */
  match(observed: readonly unknown[], stixVersion: StixVersion = '2.1'): number[] {
    return this.matchObservations(collectObservations(observed, stixVersion));
  }

  matchObservations(observations: readonly Observation[]): number[] {
    const matched = new Set<number>();
    const candidates = new Set<number>();
    const take = (handles: Handles): void => {
      if (typeof handles === 'number') {
        if (handles >= 0) matched.add(handles);
        else candidates.add(-handles - 1);
        return;
      }
      for (const h of handles) {
        if (h >= 0) matched.add(h);
        else candidates.add(-h - 1);
      }
    };
    for (const obs of observations) {
      for (const root of obs.roots) {
        const type = root.type;
        const paths = typeof type === 'string' ? this.#paths.get(type) : undefined;
        if (paths === undefined) continue;
        for (const path of paths) this.#probe(path, resolvePath(root, path.steps, obs.resolve), take);
      }
    }
    for (const h of this.#unanchored) candidates.add(h);
    for (const h of candidates) {
      if (matched.has(h)) continue;
      const ast = this.#full.get(h);
      if (ast !== undefined && evaluateObservations(ast, observations)) matched.add(h);
    }
    return [...matched].sort((a, b) => a - b);
  }

  #probe(path: IndexedPath, values: readonly unknown[], take: (h: Handles) => void): void {
    for (const value of values) {
      if (path.values) {
        const key = valueKey(value);
        const hit = key === undefined ? undefined : this.#index.get(`${path.key}\u0000${key}`);
        if (hit !== undefined) take(hit);
      }
      if (path.cidr !== undefined && typeof value === 'string') path.cidr.lookup(value, take);
    }
  }
}
