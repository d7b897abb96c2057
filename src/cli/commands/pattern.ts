import type { Command } from 'commander';
import { PatternSyntaxError, parsePattern } from '../../patterns/index.ts';
import { runPatternMatch } from './pattern-match.ts';

function check(pattern: string): void {
  try {
    parsePattern(pattern);
    process.stdout.write('valid\n');
  } catch (error) {
    if (!(error instanceof PatternSyntaxError)) throw error;
    const { line, column, offset } = error.position;
    process.stderr.write(`invalid pattern (${error.code}): ${error.message}\n`);
    // Point at the problem when the pattern is one short line.
    if (!pattern.includes('\n') && pattern.length <= 200) {
      process.stderr.write(`  ${pattern}\n  ${' '.repeat(column - 1)}^\n`);
    }
    process.stderr.write(`position: line ${line}, column ${column}, offset ${offset}\n`);
    process.exitCode = 1;
  }
}

/** `tabella pattern check|match` — the STIX patterning command-line contract of issue 3. */
export function registerPatternCommands(program: Command): void {
  const pattern = program
    .command('pattern')
    .description('STIX 2.1 patterns: check syntax, match observed data');
  pattern
    .command('check')
    .description('exit 0 when the pattern is valid; exit 1 and print the error with its position')
    .argument('<pattern>', 'a STIX 2.1 pattern')
    .action((text: string) => check(text));
  pattern
    .command('match')
    .description(
      'read JSON lines {"pattern", "observed", "stix_version"?} on stdin; write {"valid", "match", "error"} per line',
    )
    .action(runPatternMatch);
}
