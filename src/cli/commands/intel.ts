import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { TabellaError } from '../../core/errors.ts';
import { type BlocklistKind, type ExportFormat, exportStream } from '../../features/intel/index.ts';
import { isTlp, TLPS, type Tlp } from '../../policy/index.ts';
import { action, withCliContext } from '../context.ts';
import type { CommandModule } from './index.ts';
import { importCommand } from './intel-import.ts';

interface Common {
  readonly json?: boolean;
  readonly db?: string;
  readonly dataDir?: string;
}

function dbOptions(cmd: Command): Command {
  return cmd
    .option(
      '--db <url>',
      'database URL (sqlite:<file> or postgres://…); default TABELLA_DB or <data-dir>/tabella.db',
    )
    .option('--data-dir <dir>', 'data directory; default TABELLA_DATA_DIR or ./data');
}

function invalid(field: string, message: string): TabellaError {
  return new TabellaError('VALIDATION_FAILED', `${field}: ${message}`, { fields: [field] });
}

function parseTlp(text: string | undefined): Tlp | undefined {
  if (text === undefined) return undefined;
  const t = text.toLowerCase().replace(/^tlp:/, '');
  if (!isTlp(t)) throw invalid('--tlp', TLPS.join(' | '));
  return t;
}

export const intelCommands: CommandModule = (program) => {
  const intel = program.command('intel').description('shared threat intelligence (STIX 2.1)');

  importCommand(intel, dbOptions);

  dbOptions(
    intel
      .command('export')
      .description(
        'administrative export of all stored intelligence (every organization, every TLP, not deleted), ' +
          'audited as intel.export — handle the output as the strictest TLP it contains',
      )
      .option('--format <format>', 'stix | csv | blocklist', 'stix')
      .option('--kind <kind>', 'for blocklists: ip | domain | url | hash', 'ip')
      .option('--org <id>', 'only objects owned by this organization')
      .option('--type <types>', 'only these STIX types (comma-separated)')
      .option('--tlp <levels>', `only these TLP levels (comma-separated): ${TLPS.join(', ')}`)
      .option('--out <file>', 'write to this file instead of standard output'),
  ).action(
    action(
      async (
        o: Common & { format: string; kind: string; org?: string; type?: string; tlp?: string; out?: string },
      ) => {
        if (!['stix', 'csv', 'blocklist'].includes(o.format))
          throw invalid('--format', 'stix | csv | blocklist');
        if (!['ip', 'domain', 'url', 'hash'].includes(o.kind))
          throw invalid('--kind', 'ip | domain | url | hash');
        const split = (s: string | undefined) =>
          s
            ?.split(',')
            .map((x) => x.trim())
            .filter(Boolean);
        const tlp = split(o.tlp)?.map((t) => parseTlp(t) as Tlp);
        const filters = { ownerOrgId: o.org, types: split(o.type), tlp };
        const format: ExportFormat =
          o.format === 'blocklist'
            ? { kind: 'blocklist', list: o.kind as BlocklistKind }
            : { kind: o.format as 'stix' | 'csv' };
        await withCliContext(o, async (ctx) => {
          // stream.pipeline: backpressure, one set of listeners for the whole export, and a failure on
          // either side (a query, a full disk) destroys both, so the command exits 1.
          if (o.out === undefined) {
            await pipeline(exportStream(ctx, filters, format), process.stdout, { end: false });
            return;
          }
          // A file appears under its name only once whole: a CSV or blocklist cut short would look valid.
          const partial = `${o.out}.partial-${process.pid}`;
          try {
            await pipeline(exportStream(ctx, filters, format), createWriteStream(partial, { flags: 'wx' }));
            renameSync(partial, o.out);
          } catch (err) {
            rmSync(partial, { force: true });
            throw err;
          }
        });
      },
    ),
  );
};
