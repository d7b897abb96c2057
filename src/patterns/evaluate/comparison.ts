import type { ComparisonExpression, PropTest } from '../ast.ts';
import type { Observation } from './observed.ts';
import { resolvePath } from './paths.ts';
import { buildPredicate, type ValuePredicate } from './predicates.ts';

const predicates = new WeakMap<PropTest, ValuePredicate>();

function predicateOf(test: Exclude<PropTest, { kind: 'exists' }>): ValuePredicate {
  let p = predicates.get(test);
  if (p === undefined) {
    p = buildPredicate(test);
    predicates.set(test, p);
  }
  return p;
}

function testRoots(test: PropTest, obs: Observation): Set<number> {
  const passed = new Set<number>();
  const predicate = test.kind === 'exists' ? undefined : predicateOf(test);
  obs.roots.forEach((root, i) => {
    if (root.type !== test.path.objectType) return;
    const values = resolvePath(root, test.path.steps, obs.scope);
    if (predicate === undefined ? values.length > 0 : values.some(predicate)) passed.add(i);
  });
  return passed;
}

/**
 * Evaluates the comparison expression of one observation expression against one observation and
 * returns the SCOs (indices into `obs.roots`) it holds for. Every comparison joined by AND must
 * hold for the same root SCO (STIX 2.1 §9.5; reference matcher: object-ID sets are intersected);
 * OR unions them.
 */
export function matchingRoots(expr: ComparisonExpression, obs: Observation): Set<number> {
  switch (expr.kind) {
    case 'and': {
      let acc: Set<number> | undefined;
      for (const operand of expr.operands) {
        const roots = matchingRoots(operand, obs);
        acc = acc === undefined ? roots : new Set([...acc].filter((r) => roots.has(r)));
        if (acc.size === 0) return acc;
      }
      return acc ?? new Set();
    }
    case 'or': {
      const acc = new Set<number>();
      for (const operand of expr.operands) for (const r of matchingRoots(operand, obs)) acc.add(r);
      return acc;
    }
    default:
      return testRoots(expr, obs);
  }
}
