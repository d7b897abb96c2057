import type { PathStep, Pattern } from '../ast.ts';
import { evaluateObservations } from '../evaluate/match.ts';
import { collectObservations, type Observation, type StixVersion } from '../evaluate/observed.ts';
import { resolvePath } from '../evaluate/paths.ts';
import { nfc } from '../evaluate/values.ts';
import { parsePattern } from '../parser.ts';
import { AffixIndex } from './affix-index.ts';
import { analyze, type IndexValue, valueKey } from './anchors.ts';
import { CidrIndex } from './cidr-index.ts';
import { addHandle, encodeCandidate, type Handles, Hits, removeHandle } from './hits.ts';

/** Follows plain key steps; undefined when a key is missing or a step is not an object. */
function walkKeys(root: Readonly<Record<string, unknown>>, keys: readonly string[]): unknown {
  let value: unknown = root;
  for (const key of keys) {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, key))
      return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** One object path used by some indicator, with the values and CIDR blocks indexed under it. */
interface IndexedPath {
  readonly key: string;
  readonly steps: readonly PathStep[];
  /** Plain key steps without references or binary suffixes (`value`, `hashes.MD5`): walked directly. */
  readonly keys: readonly string[] | undefined;
  values: Map<IndexValue, Handles> | undefined;
  cidr: CidrIndex | undefined;
  affixes: AffixIndex | undefined;
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
        path.values ??= new Map();
        addHandle(path.values, anchor.value, stored);
      } else if (anchor.kind === 'affix') {
        path.affixes ??= new AffixIndex();
        path.affixes.add(anchor.affix, anchor.text, stored);
      } else {
        path.cidr ??= new CidrIndex();
        path.cidr.add(anchor.block, stored);
      }
    }
  }

  /**
   * Removes an indicator added with the same handle and pattern (the pattern is analyzed again, so
   * the matcher need not keep it). Returns whether the indicator was found.
   */
  remove(handle: number, pattern: string | Pattern): boolean {
    const ast = typeof pattern === 'string' ? parsePattern(pattern) : pattern;
    const { anchors, exact } = analyze(ast);
    if (anchors === undefined) {
      const at = this.#unanchored.indexOf(handle);
      if (at < 0) return false;
      this.#unanchored.splice(at, 1);
      this.#full.delete(handle);
      return true;
    }
    const stored = exact ? handle : encodeCandidate(handle);
    let removed = false;
    for (const anchor of anchors) {
      const key = JSON.stringify(anchor.steps);
      const path = this.#paths.get(anchor.objectType)?.find((p) => p.key === key);
      if (path === undefined) continue;
      if (anchor.kind === 'value') {
        removed = (path.values !== undefined && removeHandle(path.values, anchor.value, stored)) || removed;
      } else if (anchor.kind === 'affix') {
        removed = (path.affixes?.remove(anchor.affix, anchor.text, stored) ?? false) || removed;
      } else {
        removed = (path.cidr?.remove(anchor.block, stored) ?? false) || removed;
      }
    }
    if (!removed) return false;
    if (exact) this.#exact--;
    else {
      this.#anchored--;
      this.#full.delete(handle);
    }
    return true;
  }

  #path(objectType: string, steps: readonly PathStep[]): IndexedPath {
    const key = JSON.stringify(steps);
    let list = this.#paths.get(objectType);
    if (list === undefined) {
      list = [];
      this.#paths.set(objectType, list);
    }
    let path = list.find((p) => p.key === key);
    if (path === undefined) {
      const plain = steps.every((st) => st.kind === 'key' && !/_(ref|refs|hex|bin)$/.test(st.key));
      const keys = plain ? steps.map((st) => (st.kind === 'key' ? st.key : '')) : undefined;
      path = { key, steps, keys, values: undefined, cidr: undefined, affixes: undefined };
      list.push(path);
    }
    return path;
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
    const hits = new Hits();
    for (const obs of observations) {
      for (const root of obs.roots) {
        const type = root.type;
        const paths = typeof type === 'string' ? this.#paths.get(type) : undefined;
        if (paths === undefined) continue;
        for (const path of paths) {
          if (path.keys !== undefined) {
            const value = walkKeys(root, path.keys);
            if (value !== undefined) this.#probe(path, value, hits);
          } else {
            for (const value of resolvePath(root, path.steps, obs.scope)) this.#probe(path, value, hits);
          }
        }
      }
    }
    if (hits.candidates.length === 0 && this.#unanchored.length === 0) {
      return hits.matched.length <= 1 ? hits.matched : [...new Set(hits.matched)].sort((x, y) => x - y);
    }
    const matched = new Set(hits.matched);
    for (const h of new Set([...hits.candidates, ...this.#unanchored])) {
      if (matched.has(h)) continue;
      const ast = this.#full.get(h);
      if (ast !== undefined && evaluateObservations(ast, observations)) matched.add(h);
    }
    return [...matched].sort((x, y) => x - y);
  }

  #probe(path: IndexedPath, value: unknown, hits: Hits): void {
    if (path.values !== undefined) {
      const key = valueKey(value);
      const hit = key === undefined ? undefined : path.values.get(key);
      if (hit !== undefined) hits.take(hit);
    }
    if (typeof value !== 'string') return;
    if (path.cidr !== undefined) path.cidr.lookup(value, hits);
    if (path.affixes !== undefined) path.affixes.lookup(nfc(value), hits);
  }
}
