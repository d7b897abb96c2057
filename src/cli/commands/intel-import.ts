import { createReadStream, statSync } from 'node:fs';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { TabellaError } from '../../core/errors.ts';
import { newOrderedId } from '../../core/ids.ts';
import type { ServiceContext } from '../../features/context.ts';
import { countStoredSince, type ShareFailure, shareObjects } from '../../features/intel/index.ts';
import { type Distribution, isTlp, TLPS, type Tlp } from '../../policy/index.ts';
import { type BundleEvent, parseBundleStream } from '../../stix/index.ts';
import { action, codedError, printJson, reportError, withCliContext } from '../context.ts';
import { DISTRIBUTION_FORMS, parseDistribution } from './intel-distribution.ts';

/** Objects shared per `shareObjects` call: the share service commits 5,000 objects per transaction. */
const CHUNK = 5000;
/** Failures listed one per line on stderr; `--json` lists every one. */
const LISTED = 1000;
/** Exit status of an import that ran to the end but refused objects (1: it stopped, see docs/sharing.md). */
export const EXIT_REFUSED = 2;

interface ImportOptions {
  readonly orgId: string;
  readonly tlp: Tlp;
  readonly distribution: Distribution;
  readonly skipExisting: boolean;
}

export interface ImportTotals {
  stored: number;
  /** DUPLICATE_VERSION refusals under `--skip-existing`: already stored, or repeated in the bundle. */
  skipped: number;
  failed: number;
  failures: ShareFailure[];
}

/** Where an import stopped: the error, and objects of the chunk in progress whose fate could not be read back. */
interface Stop {
  readonly error: unknown;
  readonly inDoubt: number;
}

function invalid(field: string, message: string): TabellaError {
  return new TabellaError('VALIDATION_FAILED', `${field}: ${message}`, { fields: [field] });
}

/** The bundle's parse events; only an unreadable or malformed file is VALIDATION_FAILED. */
async function* bundleEvents(file: string, onBytes?: (n: number) => void): AsyncGenerator<BundleEvent> {
  const stream = createReadStream(file);
  // A 'data' listener starts the stream flowing at once, so the stream is opened only here.
  if (onBytes !== undefined) stream.on('data', (d) => onBytes(d.length));
  try {
    yield* parseBundleStream(stream);
  } catch (err) {
    if (err instanceof TabellaError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    throw new TabellaError('VALIDATION_FAILED', `${file}: ${message}`, { fields: ['bundle'], cause: err });
  }
}

/**
 * The bundle's marking definitions, from a first streaming pass: the bundle is one request, and an
 * object may reference a definition that comes after it in a later chunk (MITRE ATT&CK puts its
 * copyright statement last). Only these few objects are kept in memory.
 */
async function markingDefinitionsIn(file: string): Promise<unknown[]> {
  const found: unknown[] = [];
  for await (const event of bundleEvents(file)) {
    if (event.kind !== 'object') continue;
    const v = event.value;
    if (typeof v === 'object' && v !== null && (v as { type?: unknown }).type === 'marking-definition')
      found.push(v);
  }
  return found;
}

/**
 * Streams a bundle file into the intel store as organization `orgId`: objects are parsed one at a
 * time (never the whole file in memory) and shared in chunks of 5,000, each chunk committed before
 * the next is read, each object all-or-nothing. Objects are held back until the top-level
 * `"type": "bundle"` has been seen, so a file that is not a bundle stores nothing. When it stops
 * (a malformed file, a database error), what the committed chunks stored remains stored; `totals`
 * then counts exactly that, the chunk in progress included.
 */
async function importBundle(
  ctx: ServiceContext,
  file: string,
  o: ImportOptions,
  totals: ImportTotals,
  onProgress: (bytes: number) => void,
): Promise<Stop | undefined> {
  let pending: { index: number; value: unknown }[] = [];
  let isBundle = false;
  let bytes = 0;
  let requestMarkingDefinitions: unknown[] = [];
  let inFlight: { mark: string; ids: string[] } | undefined;
  const flush = async () => {
    if (pending.length === 0) return;
    const chunk = pending;
    pending = [];
    inFlight = {
      mark: newOrderedId('int'),
      ids: chunk.flatMap((c) => {
        const id = (c.value as { id?: unknown } | null)?.id;
        return typeof id === 'string' ? [id] : [];
      }),
    };
    const result = await shareObjects(ctx, {
      objects: chunk.map((c) => c.value),
      source: 'import',
      distribution: o.distribution,
      defaultTlp: o.tlp,
      ownerOrgId: o.orgId,
      requestMarkingDefinitions,
    });
    inFlight = undefined;
    totals.stored += result.successes.length;
    for (const f of result.failures) {
      if (o.skipExisting && f.code === 'DUPLICATE_VERSION') totals.skipped += 1;
      else {
        totals.failed += 1;
        totals.failures.push({ ...f, index: chunk[f.index]?.index ?? f.index });
      }
    }
    onProgress(bytes);
  };
  try {
    requestMarkingDefinitions = await markingDefinitionsIn(file);
    for await (const event of bundleEvents(file, (n) => {
      bytes += n;
    })) {
      if (event.kind === 'property' && event.key === 'type') {
        if (event.value !== 'bundle') throw invalid('bundle', 'the file is not a STIX bundle');
        isBundle = true;
      } else if (event.kind === 'object') {
        pending.push({ index: event.index, value: event.value });
        if (isBundle && pending.length >= CHUNK) await flush();
      }
    }
    if (!isBundle) throw invalid('bundle', 'the file is not a STIX bundle (no "type": "bundle")');
    await flush();
    return undefined;
  } catch (error) {
    if (inFlight === undefined) return { error, inDoubt: 0 };
    // The chunk in progress may have been stored in part (the share service falls back to one
    // transaction per object when its batch fails): read back what of it is there.
    try {
      totals.stored += await countStoredSince(ctx, o.orgId, inFlight.ids, inFlight.mark);
      return { error, inDoubt: 0 };
    } catch {
      return { error, inDoubt: inFlight.ids.length };
    }
  }
}

function failureLine(f: ShareFailure): string {
  return `  #${f.index} ${f.id ?? '(no id)'}: ${f.code} ${f.message}\n`;
}

/** What is stored after a stop, and how to go on: the same command with --skip-existing resumes. */
function stopNote(t: ImportTotals, stop: Stop): string {
  if (t.stored === 0 && stop.inDoubt === 0) return 'import stopped: nothing was stored\n';
  const doubt = stop.inDoubt > 0 ? `, and up to ${stop.inDoubt} more of the last chunk may be` : '';
  return (
    `import stopped: ${t.stored} objects stored before it stopped remain stored${doubt} ` +
    `(${t.skipped} skipped, ${t.failed} refused); run the same command with --skip-existing to import the rest\n`
  );
}

export function importCommand(intel: Command, withDbOptions: (cmd: Command) => Command): void {
  withDbOptions(
    intel
      .command('import <bundle>')
      .description(
        'import a STIX 2.1 bundle file (streamed) as an organization; each object is stored, skipped ' +
          '(--skip-existing) or reported as a failure. Exit 0: every object stored or skipped; 1: the ' +
          'import stopped (what it stored before remains, see the message); 2: it ran to the end but ' +
          'refused objects',
      )
      .requiredOption('--org <id>', 'the organization that shares the objects (their owner)')
      .option('--tlp <tlp>', `TLP for objects without a TLP marking: ${TLPS.join(' | ')}`, 'amber')
      .option(
        '--distribution <d>',
        `${DISTRIBUTION_FORMS} (ids, not names; :open lets organizations that join the group later read it)`,
        'community',
      )
      .option(
        '--skip-existing',
        'count objects whose version is already stored (DUPLICATE_VERSION) as skipped, not failed',
      )
      .option(
        '--json',
        'print one JSON object { stored, skipped, failed, failures } (and error when it stops)',
      ),
  ).action(
    action(
      async (
        file: string,
        o: {
          org: string;
          tlp: string;
          distribution: string;
          skipExisting?: boolean;
          json?: boolean;
          db?: string;
          dataDir?: string;
        },
      ) => {
        const distribution = parseDistribution(o.distribution);
        const tlp = o.tlp.toLowerCase().replace(/^tlp:/, '');
        if (!isTlp(tlp)) throw invalid('--tlp', TLPS.join(' | '));
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
            format: 'importing |{bar}| {percentage}% | {stored} stored, {skipped} skipped, {failed} failed',
            hideCursor: true,
          },
          cliProgress.Presets.shades_classic,
        );
        const totals: ImportTotals = { stored: 0, skipped: 0, failed: 0, failures: [] };
        const counts = () => ({ stored: totals.stored, skipped: totals.skipped, failed: totals.failed });
        if (showBar) bar.start(Math.max(size, 1), 0, counts());
        let stop: Stop | undefined;
        try {
          stop = await withCliContext(o, (ctx) =>
            importBundle(
              ctx,
              file,
              { orgId: o.org, tlp, distribution, skipExisting: o.skipExisting === true },
              totals,
              (bytes) => {
                if (showBar) bar.update(Math.min(bytes, size), counts());
              },
            ),
          );
        } finally {
          if (showBar) bar.stop();
        }
        report(totals, stop, o.json === true);
      },
    ),
  );
}

/** Totals on stdout; each refused object on stderr (or all in the JSON); the exit status. */
function report(totals: ImportTotals, stop: Stop | undefined, json: boolean): void {
  if (json) {
    const error = stop === undefined ? undefined : codedError(stop.error);
    printJson({
      ...totals,
      ...(stop === undefined
        ? {}
        : {
            error: { code: error?.code ?? null, message: error?.message ?? String(stop.error) },
            inDoubt: stop.inDoubt,
          }),
    });
  } else {
    if (stop === undefined)
      process.stdout.write(`stored ${totals.stored}, skipped ${totals.skipped}, failed ${totals.failed}\n`);
    for (const f of totals.failures.slice(0, LISTED)) process.stderr.write(failureLine(f));
    if (totals.failures.length > LISTED)
      process.stderr.write(`  … and ${totals.failures.length - LISTED} more (--json lists every failure)\n`);
  }
  if (stop !== undefined) {
    reportError(stop.error);
    process.stderr.write(stopNote(totals, stop));
    return;
  }
  if (totals.failed > 0) process.exitCode = EXIT_REFUSED;
}
