import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import type { Command } from 'commander';
import { TabellaError } from '../../core/errors.ts';
import type { ServiceContext } from '../../features/context.ts';
import { type BlocklistKind, blocklist, csv } from '../../features/intel/exports.ts';
import { type IntelVersion, listObjects, MAX_PAGE } from '../../features/intel/index.ts';
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

/** Walks every page the actor may see (for the CLI: everything not deleted), oldest first. */
async function* allVersions(
  ctx: ServiceContext,
  filters: { ownerOrgId?: string | undefined; types?: string[] | undefined; tlp?: Tlp[] | undefined },
): AsyncGenerator<IntelVersion[]> {
  let cursor: string | undefined;
  for (;;) {
    const page = await listObjects(
      ctx,
      { ...filters, limit: MAX_PAGE, order: 'asc', ...(cursor === undefined ? {} : { cursor }) },
      'intel.export',
    );
    yield page.items;
    if (page.next === null) return;
    cursor = page.next;
  }
}

function write(out: Writable, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (out.write(text)) resolve();
    else {
      out.once('drain', resolve);
      out.once('error', reject);
    }
  });
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
        const out: Writable = o.out === undefined ? process.stdout : createWriteStream(o.out);
        await withCliContext(o, async (ctx) => {
          if (o.format === 'blocklist') {
            const all: IntelVersion[] = [];
            for await (const page of allVersions(ctx, filters)) all.push(...page);
            await write(out, blocklist(all, o.kind as BlocklistKind));
            return;
          }
          let first = true;
          if (o.format === 'stix')
            await write(out, `{"type":"bundle","id":"bundle--${crypto.randomUUID()}","objects":[`);
          for await (const page of allVersions(ctx, filters)) {
            if (o.format === 'csv') {
              const text = csv(page);
              // The header once, at the top.
              await write(out, first ? text : text.slice(text.indexOf('\r\n') + 2));
              first = false;
              continue;
            }
            for (const v of page) {
              await write(out, `${first ? '\n' : ',\n'}${JSON.stringify(v.object)}`);
              first = false;
            }
          }
          if (o.format === 'stix') await write(out, '\n]}\n');
        });
        if (o.out !== undefined) {
          await new Promise<void>((resolve, reject) => {
            out.once('error', reject);
            out.end(resolve);
          });
        }
      },
    ),
  );
};
