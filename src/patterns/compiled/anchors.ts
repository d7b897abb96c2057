import type { ComparisonExpression, Literal, ObservationExpression, PathStep, Pattern } from '../ast.ts';
import { nfc } from '../evaluate/values.ts';
import { type IpBlock, parseIpBlock } from '../ip.ts';
import { likeAffix } from './affix-index.ts';

/**
 * An anchor is an index entry a pattern cannot match without: an exact value at an object path,
 * or a CIDR block containing the value at a path (ISSUBSET). If a pattern has a set of anchors,
 * an observation that hits none of them cannot match it (see matcher.ts).
 */
export type Anchor =
  | {
      readonly kind: 'value';
      readonly objectType: string;
      readonly steps: readonly PathStep[];
      readonly value: IndexValue;
    }
  | {
      readonly kind: 'affix';
      readonly objectType: string;
      readonly steps: readonly PathStep[];
      readonly affix: 'prefix' | 'suffix';
      readonly text: string;
    }
  | {
      readonly kind: 'cidr';
      readonly objectType: string;
      readonly steps: readonly PathStep[];
      readonly block: IpBlock;
    };

/** A value as an index key: distinct JavaScript primitives are distinct STIX values (§9.6.2). */
export type IndexValue = string | number | boolean;

/** The index key of a literal under the evaluator's equality; undefined if not indexable. */
export function literalKey(literal: Literal): IndexValue | undefined {
  switch (literal.kind) {
    case 'string':
      return nfc(literal.value);
    case 'int':
    case 'float':
    case 'bool':
      return literal.value;
    case 'binary':
    case 'timestamp':
      return undefined;
  }
}

/** The index key of an observed value, consistent with literalKey (binary compares as Latin-1). */
export function valueKey(value: unknown): IndexValue | undefined {
  if (typeof value === 'string') return nfc(value);
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Uint8Array) {
    let s = '';
    for (const b of value) s += String.fromCharCode(b);
    return s;
  }
  return undefined;
}

function comparisonAnchors(expr: ComparisonExpression): Anchor[] | undefined {
  switch (expr.kind) {
    case 'and': {
      // Every conjunct must hold: the smallest anchored conjunct is enough.
      let best: Anchor[] | undefined;
      for (const operand of expr.operands) {
        const a = comparisonAnchors(operand);
        if (a !== undefined && (best === undefined || a.length < best.length)) best = a;
      }
      return best;
    }
    case 'or': {
      // Any disjunct may hold: all must be anchored.
      const all: Anchor[] = [];
      for (const operand of expr.operands) {
        const a = comparisonAnchors(operand);
        if (a === undefined) return undefined;
        all.push(...a);
      }
      return all;
    }
    case 'compare': {
      if (expr.negated || expr.op !== '=') return undefined;
      const key = literalKey(expr.value);
      return key === undefined
        ? undefined
        : [{ kind: 'value', objectType: expr.path.objectType, steps: expr.path.steps, value: key }];
    }
    case 'in': {
      if (expr.negated || expr.values.length === 0) return undefined;
      const out: Anchor[] = [];
      for (const v of expr.values) {
        const key = literalKey(v);
        if (key === undefined) return undefined;
        out.push({ kind: 'value', objectType: expr.path.objectType, steps: expr.path.steps, value: key });
      }
      return out;
    }
    case 'string-op': {
      if (!expr.negated && expr.op === 'LIKE') {
        // A LIKE pattern with a literal prefix or suffix is indexed by it; a match still needs evaluation.
        const affix = likeAffix(nfc(expr.value));
        return affix === undefined
          ? undefined
          : [
              {
                kind: 'affix',
                objectType: expr.path.objectType,
                steps: expr.path.steps,
                affix: affix.kind,
                text: affix.text,
              },
            ];
      }
      if (expr.negated || expr.op !== 'ISSUBSET') return undefined;
      const block = parseIpBlock(expr.value);
      return block === undefined
        ? undefined
        : [{ kind: 'cidr', objectType: expr.path.objectType, steps: expr.path.steps, block }];
    }
    case 'order':
    case 'exists':
      return undefined;
  }
}

function observationAnchors(expr: ObservationExpression): Anchor[] | undefined {
  switch (expr.kind) {
    case 'observation':
      return comparisonAnchors(expr.comparison);
    case 'qualified':
      return observationAnchors(expr.expression);
    case 'obs-or': {
      const all: Anchor[] = [];
      for (const operand of expr.operands) {
        const a = observationAnchors(operand);
        if (a === undefined) return undefined;
        all.push(...a);
      }
      return all;
    }
    case 'obs-and':
    case 'followedby': {
      const operands = expr.kind === 'followedby' ? [expr.left, expr.right] : expr.operands;
      let best: Anchor[] | undefined;
      for (const operand of operands) {
        const a = observationAnchors(operand);
        if (a !== undefined && (best === undefined || a.length < best.length)) best = a;
      }
      return best;
    }
  }
}

function isExactTest(expr: ComparisonExpression): boolean {
  if (expr.kind === 'or') return expr.operands.every(isExactTest);
  if (expr.kind === 'string-op' && expr.op === 'LIKE') return false;
  return comparisonAnchors(expr) !== undefined && expr.kind !== 'and';
}

export interface AnchorAnalysis {
  /** Undefined when the pattern has no indexable anchor and must be evaluated for every observation. */
  readonly anchors: readonly Anchor[] | undefined;
  /**
   * True when hitting an anchor is the same as matching: the pattern is one observation
   * expression without qualifiers whose comparison is an OR of non-negated =, IN or ISSUBSET tests.
   */
  readonly exact: boolean;
}

export function analyze(pattern: Pattern): AnchorAnalysis {
  const anchors = observationAnchors(pattern.expression);
  const e = pattern.expression;
  return { anchors, exact: anchors !== undefined && e.kind === 'observation' && isExactTest(e.comparison) };
}
