import type { ComparisonExpression, ObservationExpression, PropTest } from './ast.ts';

function* inComparison(e: ComparisonExpression): Generator<PropTest> {
  if (!('operands' in e)) {
    yield e;
    return;
  }
  for (const operand of e.operands) yield* inComparison(operand);
}

/**
 * Every property test of a pattern's observation expression, in order, whatever the observation
 * operators and qualifiers around it.
 *
 * @example
 * for (const t of propTests(parsePattern(text).expression)) console.log(t.kind, t.path.objectType);
 */
export function* propTests(e: ObservationExpression): Generator<PropTest> {
  switch (e.kind) {
    case 'observation':
      yield* inComparison(e.comparison);
      return;
    case 'obs-and':
    case 'obs-or':
      for (const operand of e.operands) yield* propTests(operand);
      return;
    case 'followedby':
      yield* propTests(e.left);
      yield* propTests(e.right);
      return;
    case 'qualified':
      yield* propTests(e.expression);
      return;
  }
}
