import {
  type Literal,
  PatternSyntaxError,
  type PropTest,
  parsePattern,
  propTests,
} from '../../patterns/index.ts';
import { childPath } from '../issues.ts';
import { checkObservableValue, isValueType } from '../values/index.ts';
import type { ValidationContext } from './context.ts';

type Obj = Readonly<Record<string, unknown>>;

/** The string literals a test compares `<type>:value` with by equality (`=`, `!=`, `IN`). */
function comparedValues(test: PropTest): readonly Literal[] {
  if (test.kind !== 'compare' && test.kind !== 'in') return [];
  const { steps } = test.path;
  const step = steps[0];
  if (steps.length !== 1 || step?.kind !== 'key' || step.key !== 'value') return [];
  return test.kind === 'in' ? test.values : [test.value];
}

/**
 * The problem with a STIX pattern (§9), or undefined: it must parse, and a value compared for
 * equality with an observable's `value` must be one that observable can hold (`[ipv4-addr:value =
 * '999.1.1.1']` never matches, and exports would hand it to devices). `LIKE`, `MATCHES` and
 * `ISSUBSET` take wildcards and blocks by design and are not value-checked.
 */
export function stixPatternProblem(pattern: string): string | undefined {
  let parsed: ReturnType<typeof parsePattern>;
  try {
    parsed = parsePattern(pattern);
  } catch (error) {
    if (error instanceof PatternSyntaxError) return `${error.code}: ${error.message}`;
    throw error;
  }
  for (const test of propTests(parsed.expression)) {
    const type = test.path.objectType;
    if (!isValueType(type)) continue;
    for (const literal of comparedValues(test)) {
      if (literal.kind !== 'string') continue;
      const check = checkObservableValue(type, literal.value);
      if (!check.ok) return `${type}:value: ${check.problem}`;
    }
  }
  return undefined;
}

/** Indicators with `pattern_type: stix` are parsed with the STIX patterning grammar (§9). */
export function checkIndicatorPattern(o: Obj, path: string, ctx: ValidationContext): void {
  // Other pattern languages (sigma, snort, yara, …) are opaque text to STIX and are not parsed.
  if (o.pattern_type !== 'stix' || typeof o.pattern !== 'string') return;
  const problem = stixPatternProblem(o.pattern);
  if (problem !== undefined) ctx.sink.error(childPath(path, 'pattern'), 'INVALID_PATTERN', problem);
}
