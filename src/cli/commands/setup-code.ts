import { prepareSetupCode } from '../../features/membership/setup-code.ts';
import { action, printJson, withCliContext } from '../context.ts';
import type { CommandModule } from './index.ts';

interface Flags {
  readonly db?: string;
  readonly dataDir?: string;
  readonly json?: boolean;
}

/**
 * `tabella setup-code`: a new one-time setup code for a fresh instance, replacing the one in force
 * (for when the console that printed it is gone, or another node on the same database printed it).
 * The CLI is a local operator with the database's credentials, so it may; docs/operations.md.
 */
export const setupCodeCommand: CommandModule = (program) => {
  program
    .command('setup-code')
    .description('make a new one-time setup code for /setup (replaces the one in force); prints it')
    .option(
      '--db <url>',
      'database URL (sqlite:<file> or postgres://…); default TABELLA_DB or <data-dir>/tabella.db',
    )
    .option(
      '--data-dir <dir>',
      'data directory (the code is written to <dir>/setup-code); default TABELLA_DATA_DIR or ./data',
    )
    .option('--json', 'print one JSON object')
    .action(
      action(async (o: Flags) => {
        const state = await withCliContext(o, (ctx) => prepareSetupCode(ctx, true));
        if (o.json === true) {
          printJson(
            state.kind === 'issued'
              ? { setupNeeded: true, code: state.code, file: state.file }
              : { setupNeeded: false },
          );
          return;
        }
        if (state.kind === 'issued')
          process.stdout.write(`setup code: ${state.code}\n  (also in ${state.file})\n`);
        else process.stdout.write('this instance is set up already; no setup code is needed\n');
      }),
    );
};
