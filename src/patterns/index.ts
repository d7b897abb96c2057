/**
 * STIX 2.1 patterning (§9): parse, print, evaluate and compile indicator patterns. Pure: no I/O.
 */
export type {
  ComparisonExpression,
  Literal,
  ObjectPath,
  ObservationExpression,
  PathStep,
  Pattern,
  PropTest,
  Qualifier,
  TimestampValue,
} from './ast.ts';
export { CompiledMatcher, type MatcherStats } from './compiled/matcher.ts';
export {
  PatternEvaluationError,
  type PatternEvaluationErrorCode,
  PatternSyntaxError,
  type PatternSyntaxErrorCode,
  type SourcePosition,
} from './errors.ts';
export { evaluateObservations, type MatchOptions, matchPattern } from './evaluate/match.ts';
export type { StixVersion } from './evaluate/observed.ts';
export { collectObservations, type Observation } from './evaluate/observed.ts';
export { hexDigestLength } from './hashes.ts';
export { maskV4, maskV6, parseIpv4, parseIpv6 } from './ip.ts';
export { parsePattern } from './parser.ts';
export { printPath, printPattern } from './printer.ts';
export { type CompiledRegex, compileRegex } from './regex/compile.ts';
export { RegexSyntaxError } from './regex/syntax.ts';
export { parseTimestamp } from './timestamps.ts';
export { propTests } from './walk.ts';
