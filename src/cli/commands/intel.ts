import { createReadStream, createWriteStream, renameSync, rmSync, statSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { TabellaError } from '../../core/errors.ts';
import type { ServiceContext } from '../../features/context.ts';
import {
  type BlocklistKind,
  type ExportFormat,
  exportStream,
  type ShareFailure,
  shareObjects,
} from '../../features/intel/index.ts';
import { type Distribution, isTlp, TLPS, type Tlp } from '../../policy/index.ts';
import { parseBundleStream } from '../../stix/index.ts';
import { action, printJson, withCliContext } from '../context.ts';
import type { CommandModule } from './index.ts';

interface Common {
  readonly json?: boolean;
  readonly db?: string;
  readonly dataDir?: string;
}

/** Objects shared per `shareObjects` call: the share service commits 5,000 objects per transaction. */
const CHUNK = 5000;

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

/** `org | community | public | orgs:ID,ID | group:ID[:open]` → a Distribution (`:open`: future members too). */
export function parseDistribution(text: string): Distribution {
  if (text === 'org' || text === 'community' || text === 'public') return { kind: text };
  const [kind, rest] = [text.slice(0, text.indexOf(':')), text.slice(text.indexOf(':') + 1)];
  if (kind === 'orgs') {
    const orgIds = rest
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
    if (orgIds.length > 0) return { kind: 'orgs', orgIds };
  }
  if (kind === 'group') {
    const [groupId = '', open, ...more] = rest.split(':').map((x) => x.trim());
    if (groupId !== '' && more.length === 0 && (open === undefined || open === 'open'))
      return { kind: 'group', groupId, futureMembers: open === 'open' };
  }
  throw invalid('--distribution', 'org | community | public | orgs:ID,ID | group:ID[:open]');
}

function parseTlp(text: string | undefined): Tlp | undefined {
  if (text === undefined) return undefined;
  const t = text.toLowerCase().replace(/^tlp:/, '');
  if (!isTlp(t)) throw invalid('--tlp', TLPS.join(' | '));
  return t;
}

interface ImportTotals {
  stored: number;
  failed: number;
  failures: ShareFailure[];
}

/**
 * The bundle's marking definitions, from a first streaming pass: the bundle is one request, and an
 * object may reference a definition that comes after it in a later chunk (MITRE ATT&CK puts its
 * copyright statement last). Only these few objects are kept in memory.
 */
async function markingDefinitionsIn(file: string): Promise<unknown[]> {
  const found: unknown[] = [];
  for await (const event of parseBundleStream(createReadStream(file))) {
    if (event.kind !== 'object') continue;
    const v = event.value;
    if (typeof v === 'object' && v !== null && (v as { type?: unknown }).type === 'marking-definition')
      found.push(v);
  }
  return found;
}

/**
 * Streams a bundle file into the intel store as organization `orgId`: objects are parsed one at a
 * time (never the whole file in memory) and shared in chunks, each object all-or-nothing. Objects
 * are held back until the top-level `"type": "bundle"` has been seen, so a file that is not a
 * bundle stores nothing.
 */
async function importBundle(
  ctx: ServiceContext,
  file: string,
  o: { orgId: string; tlp: Tlp | undefined; distribution: Distribution },
  onProgress: (bytes: number, totals: ImportTotals) => void,
): Promise<ImportTotals> {
  const totals: ImportTotals = { stored: 0, failed: 0, failures: [] };
  let pending: { index: number; value: unknown }[] = [];
  let isBundle = false;
  let bytes = 0;
  let requestMarkingDefinitions: unknown[] = [];
  const flush = async () => {
    if (pending.length === 0) return;
    const chunk = pending;
    pending = [];
    const result = await shareObjects(ctx, {
      objects: chunk.map((c) => c.value),
      source: 'import',
      distribution: o.distribution,
      defaultTlp: o.tlp,
      ownerOrgId: o.orgId,
      requestMarkingDefinitions,
    });
    totals.stored += result.successes.length;
    totals.failed += result.failures.length;
    for (const f of result.failures) totals.failures.push({ ...f, index: chunk[f.index]?.index ?? f.index });
    onProgress(bytes, totals);
  };
  try {
    requestMarkingDefinitions = await markingDefinitionsIn(file);
    // Opened after the first pass: a 'data' listener starts the stream flowing at once.
    const stream = createReadStream(file);
    stream.on('data', (d) => {
      bytes += d.length;
    });
    for await (const event of parseBundleStream(stream)) {
      if (event.kind === 'property' && event.key === 'type') {
        if (event.value !== 'bundle') throw invalid('bundle', 'the file is not a STIX bundle');
        isBundle = true;
      } else if (event.kind === 'object') {
        pending.push({ index: event.index, value: event.value });
        if (isBundle && pending.length >= CHUNK) await flush();
      }
    }
  } catch (err) {
    if (err instanceof TabellaError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    throw new TabellaError('VALIDATION_FAILED', `${file}: ${message}`, { fields: ['bundle'] });
  }
  if (!isBundle) throw invalid('bundle', 'the file is not a STIX bundle (no "type": "bundle")');
  await flush();
  return totals;
}

export const intelCommands: CommandModule = (program) => {
  const intel = program.command('intel').description('shared threat intelligence (STIX 2.1)');

  dbOptions(
    intel
      .command('import <bundle>')
      .description(
        'import a STIX 2.1 bundle file (streamed) as an organization; each object is stored or reported as a failure',
      )
      .requiredOption('--org <id>', 'the organization that shares the objects (their owner)')
      .option('--tlp <tlp>', `TLP for objects without a TLP marking: ${TLPS.join(' | ')} (default amber)`)
      .option(
        '--distribution <d>',
        'org | community | public | orgs:ID,ID | group:ID[:open] (default community; :open lets organizations that join the group later read it)',
        'community',
      )
      .option('--json', 'print one JSON object { stored, failed, failures }'),
  ).action(
    action(async (file: string, o: Common & { org: string; tlp?: string; distribution: string }) => {
      const distribution = parseDistribution(o.distribution);
      const tlp = parseTlp(o.tlp);
      let size: number;
      try {
        size = statSync(file).size;
      } catch {
        throw new TabellaError('NOT_FOUND', `${file}: cannot read the file`);
      }
      const showBar = o.json !== true && process.stderr.isTTY === true;
      const bar = new cliProgress.SingleBar(
        {
          stream: process.stderr,
          format: 'importing |{bar}| {percentage}% | {stored} stored, {failed} failed',
          hideCursor: true,
        },
        cliProgress.Presets.shades_classic,
      );
      if (showBar) bar.start(Math.max(size, 1), 0, { stored: 0, failed: 0 });
      let totals: ImportTotals;
      try {
        totals = await withCliContext(o, (ctx) =>
          importBundle(ctx, file, { orgId: o.org, tlp, distribution }, (bytes, t) => {
            if (showBar) bar.update(Math.min(bytes, size), { stored: t.stored, failed: t.failed });
          }),
        );
      } finally {
        if (showBar) bar.stop();
      }
      if (o.json === true) {
        printJson(totals);
        return;
      }
      process.stdout.write(`stored ${totals.stored}, failed ${totals.failed}\n`);
      for (const f of totals.failures.slice(0, 20)) {
        process.stdout.write(`  #${f.index} ${f.id ?? '(no id)'}: ${f.code} ${f.message}\n`);
      }
      if (totals.failures.length > 20) process.stdout.write(`  … and ${totals.failures.length - 20} more\n`);
    }),
  );

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
