import type { Command } from 'commander';
import { checkLogIdentity, keySourceLabel } from '../../features/transparency/index.ts';
import { action, printJson, withCliContext } from '../context.ts';

interface LogKeyFlags {
  readonly db?: string;
  readonly dataDir?: string;
  readonly json?: boolean;
}

/**
 * `tabella audit log-key`: the database's log identity, with the key rules of `tabella serve`
 * (issue 11 §6) — run it on a new node before starting it. Prints the verifier key (for `--vkey`),
 * or refuses with the code the server would start with (LOG_KEY_MISSING, LOG_KEY_MISMATCH,
 * LOG_ORIGIN_MISMATCH). Changes nothing: no key file is created and nothing is recorded.
 */
export function registerLogKeyCommand(audit: Command): void {
  audit
    .command('log-key')
    .description(
      "check this node's log signing key against its database's log (as `tabella serve` does) and print the log's verifier key",
    )
    .option(
      '--db <url>',
      'database URL (sqlite:<file> or postgres://…); default TABELLA_DB or <data-dir>/tabella.db',
    )
    .option('--data-dir <dir>', 'data directory; default TABELLA_DATA_DIR or ./data')
    .option('--json', 'print one JSON object')
    .action(
      action(async (o: LogKeyFlags) => {
        await withCliContext(o, async (ctx, db) => {
          const report = await checkLogIdentity({ db, config: ctx.config });
          const key = keySourceLabel(ctx.config.logKey);
          if (o.json === true) {
            printJson({ ...report, vkey: report.vkey ?? null, keySource: key });
            return;
          }
          if (report.vkey === undefined) {
            process.stdout.write(
              `this database has no transparency log yet: the first server creates ${key} and records it, origin "${report.origin}"\n`,
            );
            return;
          }
          process.stdout.write(`${report.vkey}\n`);
        });
      }),
    );
}
