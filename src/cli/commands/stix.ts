import { createReadStream } from 'node:fs';
import type { Command } from 'commander';
import { StixParseError, type ValidationIssue, validateBundleStream } from '../../stix/index.ts';

function printIssue(issue: ValidationIssue): void {
  process.stdout.write(
    `${issue.severity.padEnd(7)} ${issue.code.padEnd(24)} ${issue.path}  ${issue.message}\n`,
  );
}

async function validate(file: string, options: { readonly json?: boolean }): Promise<void> {
  const source = file === '-' ? process.stdin : createReadStream(file);
  try {
    const result = await validateBundleStream(source);
    if (options.json === true) {
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    } else {
      for (const issue of result.issues) printIssue(issue);
      process.stdout.write(
        `${result.objects} object(s): ${result.errors} error(s), ${result.warnings} warning(s)\n`,
      );
    }
    if (result.errors > 0) process.exitCode = 1;
  } catch (error) {
    if (error instanceof StixParseError) {
      const issue = { path: '$', code: 'INVALID_JSON', severity: 'error', message: error.message } as const;
      if (options.json === true) {
        process.stdout.write(
          `${JSON.stringify({ issues: [issue], errors: 1, warnings: 0, objects: 0 }, null, 2)}\n`,
        );
      } else {
        printIssue(issue);
        process.stdout.write('0 object(s): 1 error(s), 0 warning(s)\n');
      }
      process.exitCode = 1;
      return;
    }
    const code =
      error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
    if (code === undefined || !code.startsWith('E')) throw error;
    // File-system errors (ENOENT, EISDIR, EACCES…): nothing was validated.
    process.stderr.write(`cannot read ${file}: ${code}\n`);
    process.exitCode = 1;
  }
}

/** `tabella stix validate <file|-> [--json]` — the validation contract of issue 3. */
export function registerStixCommands(program: Command): void {
  const stix = program.command('stix').description('STIX 2.1 objects and bundles');
  stix
    .command('validate')
    .description('validate a STIX 2.1 bundle or object; exit 0 when there are no errors')
    .argument('<file>', "a JSON file, or '-' for standard input")
    .option('--json', 'print the result as JSON')
    .action((file: string, options: { json?: boolean }) => validate(file, options));
}
