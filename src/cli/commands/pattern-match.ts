import { once } from 'node:events';
import { createInterface } from 'node:readline';
import {
  matchPattern,
  PatternEvaluationError,
  PatternSyntaxError,
  parsePattern,
} from '../../patterns/index.ts';

/** One output line of `tabella pattern match` (issue 3 command-line contract). */
export interface MatchLineResult {
  readonly valid: boolean;
  readonly match: boolean | null;
  readonly error: string | null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Evaluates one input line; never throws, so a bad line never stops the stream. */
export function evaluateMatchLine(line: string): MatchLineResult {
  let input: unknown;
  try {
    input = JSON.parse(line);
  } catch {
    return { valid: false, match: null, error: 'line is not valid JSON' };
  }
  if (!isRecord(input) || typeof input.pattern !== 'string') {
    return { valid: false, match: null, error: 'line needs a "pattern" string' };
  }
  let pattern: ReturnType<typeof parsePattern>;
  try {
    pattern = parsePattern(input.pattern);
  } catch (error) {
    if (error instanceof PatternSyntaxError) return { valid: false, match: null, error: error.message };
    return { valid: false, match: null, error: 'pattern could not be parsed' };
  }
  const version = input.stix_version ?? '2.1';
  if (version !== '2.0' && version !== '2.1') {
    return { valid: true, match: null, error: 'stix_version must be "2.0" or "2.1"' };
  }
  if (!Array.isArray(input.observed)) return { valid: true, match: null, error: '"observed" must be a list' };
  try {
    return {
      valid: true,
      match: matchPattern(pattern, input.observed, { stixVersion: version }),
      error: null,
    };
  } catch (error) {
    const message =
      error instanceof PatternEvaluationError ? error.message : 'observed data cannot be evaluated';
    return { valid: true, match: null, error: message };
  }
}

/** Reads JSON lines from stdin and writes one result line per input line, in order. */
export async function runPatternMatch(): Promise<void> {
  const lines = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    const result =
      line.trim() === '' ? { valid: false, match: null, error: 'empty line' } : evaluateMatchLine(line);
    if (!process.stdout.write(`${JSON.stringify(result)}\n`)) await once(process.stdout, 'drain');
  }
}
