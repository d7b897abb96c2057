import type {
  ComparisonExpression,
  ObjectPath,
  ObservationExpression,
  Pattern,
  PropTest,
  Qualifier,
} from './ast.ts';
import { printLiteral, quote } from './literals.ts';
import { KEYWORDS } from './tokens.ts';

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

function printKey(key: string): string {
  return PLAIN_KEY.test(key) && !KEYWORDS.has(key) && key !== 'true' && key !== 'false' ? key : quote(key);
}

/** Prints an object path; keys that are not plain identifiers are quoted (`hashes.'SHA-256'`). */
export function printPath(path: ObjectPath): string {
  let out = `${path.objectType}:`;
  path.steps.forEach((step, i) => {
    switch (step.kind) {
      case 'key':
        out += i === 0 ? printKey(step.key) : `.${printKey(step.key)}`;
        return;
      case 'index':
        out += `[${step.index}]`;
        return;
      case 'any':
        out += '[*]';
        return;
    }
  });
  return out;
}

function printTest(test: PropTest): string {
  const path = printPath(test.path);
  const not = 'negated' in test && test.negated ? ' NOT' : '';
  switch (test.kind) {
    case 'exists':
      return `EXISTS ${path}`;
    case 'compare':
    case 'order':
      return `${path}${not} ${test.op} ${printLiteral(test.value)}`;
    case 'in':
      return `${path}${not} IN (${test.values.map(printLiteral).join(', ')})`;
    case 'string-op':
      return `${path}${not} ${test.op} ${quote(test.value)}`;
  }
}

function printComparison(expr: ComparisonExpression, parent: 'and' | 'or' | 'top'): string {
  switch (expr.kind) {
    case 'and': {
      return expr.operands.map((o) => printComparison(o, 'and')).join(' AND ');
    }
    case 'or': {
      const text = expr.operands.map((o) => printComparison(o, 'or')).join(' OR ');
      return parent === 'and' ? `(${text})` : text;
    }
    default:
      return printTest(expr);
  }
}

function printQualifier(q: Qualifier): string {
  switch (q.kind) {
    case 'within':
      return `WITHIN ${q.raw} SECONDS`;
    case 'repeats':
      return `REPEATS ${q.times} TIMES`;
    case 'start-stop':
      return `START t'${q.start.text}' STOP t'${q.stop.text}'`;
  }
}

// Binding strength, tightest first: qualified/atom (3) > AND (2) > OR (1) > FOLLOWEDBY (0).
function strength(expr: ObservationExpression): number {
  switch (expr.kind) {
    case 'observation':
    case 'qualified':
      return 3;
    case 'obs-and':
      return 2;
    case 'obs-or':
      return 1;
    case 'followedby':
      return 0;
  }
}

function repeatsInChain(expr: ObservationExpression, kind: Qualifier['kind']): boolean {
  let e = expr;
  while (e.kind === 'qualified') {
    if (e.qualifier.kind === kind) return true;
    e = e.expression;
  }
  return false;
}

function printObservation(expr: ObservationExpression, minStrength: number): string {
  const text = printObservationBare(expr);
  return strength(expr) < minStrength ? `(${text})` : text;
}

function printObservationBare(expr: ObservationExpression): string {
  switch (expr.kind) {
    case 'observation':
      return `[${printComparison(expr.comparison, 'top')}]`;
    case 'qualified': {
      // A qualifier kind already in the chain below needs parentheses to start a new chain.
      const inner = expr.expression;
      const text = repeatsInChain(inner, expr.qualifier.kind)
        ? `(${printObservationBare(inner)})`
        : printObservation(inner, 3);
      return `${text} ${printQualifier(expr.qualifier)}`;
    }
    case 'obs-and':
      // An operand of the same kind would have been flattened: parenthesize anything weaker.
      return expr.operands.map((o) => printObservation(o, 3)).join(' AND ');
    case 'obs-or':
      return expr.operands.map((o) => printObservation(o, o.kind === 'obs-or' ? 3 : 2)).join(' OR ');
    case 'followedby':
      return `${printObservation(expr.left, 0)} FOLLOWEDBY ${printObservation(expr.right, 1)}`;
  }
}

/**
 * Prints a pattern in canonical form; parsing the output gives back an equal AST.
 *
 * @example
 * printPattern(parsePattern("[ipv4-addr:value='10.0.0.1']")); // "[ipv4-addr:value = '10.0.0.1']"
 */
export function printPattern(pattern: Pattern): string {
  return printObservation(pattern.expression, 0);
}
