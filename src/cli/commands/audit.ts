import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import {
  checkReceipt,
  isReceiptCheckError,
  type ReceiptCheckCode,
  ReceiptCheckError,
} from '../../features/transparency/index.ts';
import {
  checkConsistency,
  cosignerFromKey,
  formatCheckpoint,
  formatSignatureLine,
  generateCosignerKey,
  isTlogVerifyError,
  noteVerifierFromKey,
  openCheckpoint,
  parseCheckpoint,
  parseNote,
  type TlogVerifyErrorCode,
  verifyTiledLog,
} from '../../tlog/index.ts';
import { locateLog, logFetcher, readKeyArg, tabellaUrls } from '../log-fetch.ts';
import { registerLogKeyCommand } from './audit-log-key.ts';
import type { CommandModule } from './index.ts';

/** Exit reasons people can act on (issue 5 §6). */
const REASONS: Readonly<Record<TlogVerifyErrorCode, string>> = {
  BAD_SIGNATURE: 'bad signature',
  ROOT_MISMATCH: 'root mismatch',
  TILE_INCONSISTENT: 'tile inconsistent with its children',
  INCONSISTENT_HISTORY: 'inconsistent history',
  MISSING_TILE: 'missing tile',
  INVALID_PROOF: 'invalid proof',
  MALFORMED: 'malformed log data',
};

const RECEIPT_REASONS: Readonly<Record<ReceiptCheckCode, string>> = {
  RECEIPT_MALFORMED: 'not a receipt',
  TREE_SIZE_MISMATCH: 'tree size is not the checkpoint size',
  INDEX_MISMATCH: "leaf index is not the event's log index",
  ENTRY_MISMATCH: 'the event does not make the logged entry',
};

function fail(err: unknown): void {
  if (isTlogVerifyError(err)) {
    const where = err.resource === undefined ? '' : ` (${err.resource})`;
    process.stderr.write(`FAIL ${err.code}: ${REASONS[err.code]}${where}: ${err.message}\n`);
  } else if (isReceiptCheckError(err)) {
    process.stderr.write(`FAIL ${err.code}: ${RECEIPT_REASONS[err.code]}: ${err.message}\n`);
  } else {
    process.stderr.write(`FAIL: ${err instanceof Error ? err.message : String(err)}\n`);
  }
  process.exitCode = 1;
}

function readState(file: string | undefined): string | undefined {
  return file !== undefined && existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

async function verify(
  location: string,
  o: { vkey: string; state?: string; entries: boolean; json?: boolean },
) {
  const fetch = logFetcher(await locateLog(location));
  const vkey = await readKeyArg(o.vkey);
  const note = await fetch('checkpoint');
  if (note === undefined) throw new Error('the log serves no checkpoint');
  const savedNote = readState(o.state);
  const previous = savedNote === undefined ? undefined : parseCheckpoint(parseNote(savedNote).text);
  const result = await verifyTiledLog({
    checkpoint: note,
    verifiers: [noteVerifierFromKey(vkey)],
    fetch,
    ...(previous === undefined ? {} : { previous }),
    checkEntries: o.entries,
  });
  if (o.state !== undefined) writeFileSync(o.state, Buffer.from(note));
  const summary = {
    ok: true,
    origin: result.checkpoint.origin,
    size: result.checkpoint.size,
    rootHash: Buffer.from(result.checkpoint.rootHash).toString('base64'),
    tilesChecked: result.tilesChecked,
    entriesChecked: result.entriesChecked,
    consistentWith: previous?.size ?? null,
  };
  if (o.json === true) process.stdout.write(`${JSON.stringify(summary)}\n`);
  else {
    const history =
      previous === undefined ? '' : `, consistent with the saved checkpoint of size ${previous.size}`;
    process.stdout.write(
      `OK ${summary.origin}: ${summary.size} entries, root ${summary.rootHash}; ${summary.tilesChecked} tiles and ${summary.entriesChecked} entries checked${history}\n`,
    );
  }
}

interface WitnessOptions {
  readonly vkey: string;
  readonly key: string;
  readonly token: string;
  readonly state: string;
}

/** One witness round: fetch, verify, check consistency with what was seen, cosign, hand back. */
async function witnessOnce(base: string, o: WitnessOptions): Promise<string> {
  const urls = tabellaUrls(base);
  const fetch = logFetcher(urls.log);
  const logVkey = await readKeyArg(o.vkey);
  const cosigner = cosignerFromKey(await readKeyArg(o.key));
  const headers = { authorization: `Bearer ${o.token}`, 'content-type': 'application/json' };
  const api = urls.server;
  const sizeNow = async () => {
    const n = await fetch('checkpoint');
    if (n === undefined) throw new Error('the log serves no checkpoint');
    return openCheckpoint(n, [noteVerifierFromKey(logVkey)]).checkpoint.size;
  };
  // Register first: a new registration is itself logged, so wait until the log holds it — the
  // checkpoint cosigned below then stays the log's latest until something else happens.
  const before = await sizeNow();
  const reg = await globalThis.fetch(`${api}/api/v1/audit/witnesses`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ vkey: cosigner.verifierKey }),
  });
  if (!reg.ok) throw new Error(`registering the witness key: HTTP ${reg.status} ${await reg.text()}`);
  if (reg.status === 201) {
    for (let waited = 0; waited < 15_000 && (await sizeNow()) <= before; waited += 200) {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const note = await fetch('checkpoint');
  if (note === undefined) throw new Error('the log serves no checkpoint');
  const { checkpoint } = openCheckpoint(note, [noteVerifierFromKey(logVkey)]);
  const saved = readState(o.state);
  if (saved !== undefined) {
    const older = parseCheckpoint(parseNote(saved).text);
    // Refuses a checkpoint that does not extend what this witness saw before: no fork, no rewrite.
    await checkConsistency(fetch, older, checkpoint);
  }
  const line = formatSignatureLine(
    cosigner.cosign(formatCheckpoint(checkpoint), Math.floor(Date.now() / 1000)),
  );
  const res = await globalThis.fetch(`${api}/api/v1/audit/cosignatures`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ size: checkpoint.size, signature: line }),
  });
  if (!res.ok) throw new Error(`handing back the cosignature: HTTP ${res.status} ${await res.text()}`);
  writeFileSync(o.state, Buffer.from(note));
  return `cosigned ${checkpoint.origin} at size ${checkpoint.size}`;
}

/** Checks a receipt file offline (`checkReceipt`): every field of the event against its entry. */
function checkReceiptFile(file: string, vkey: string): string {
  // A file that cannot be read is reported as such (ENOENT, EISDIR, …), not as a bad receipt.
  const text = readFileSync(file, 'utf8');
  let receipt: unknown;
  try {
    receipt = JSON.parse(text);
  } catch {
    throw new ReceiptCheckError('RECEIPT_MALFORMED', 'the file is not JSON');
  }
  const r = checkReceipt(receipt, [noteVerifierFromKey(vkey)]);
  return `OK event ${r.eventId} (${r.action}) is entry ${r.leafIndex} of ${r.origin} at size ${r.treeSize}`;
}

export const auditCommands: CommandModule = (program) => {
  const audit = program.command('audit').description('the transparency log: verify, witness, receipts');

  audit
    .command('verify <location>')
    .description(
      "verify a C2SP tlog-tiles log: a Tabella server's URL (http://host or http://host/log), another log's base URL, or a directory",
    )
    .requiredOption('--vkey <vkey>', "the log's verifier key, or a file holding it")
    .option(
      '--state <file>',
      'a file holding the last verified checkpoint; the new one must extend it, then replaces it',
    )
    .option('--no-entries', 'check tiles only, not entry bundles')
    .option('--json', 'print one JSON object')
    .action(
      async (location: string, o: { vkey: string; state?: string; entries: boolean; json?: boolean }) => {
        await verify(location, o).catch(fail);
      },
    );

  audit
    .command('witness <url>')
    .description(
      'witness a Tabella log (http://host or http://host/log): check each checkpoint extends the last one seen, cosign it and hand the cosignature back',
    )
    .requiredOption('--vkey <vkey>', "the log's verifier key, or a file holding it")
    .requiredOption('--key <skey>', "this witness's signer key file (see `tabella audit witness-key`)")
    .requiredOption(
      '--token <token>',
      'an API token of an admin or auditor of a vetted oversight organization',
    )
    .requiredOption('--state <file>', 'where the witness keeps the last checkpoint it cosigned')
    .option('--interval <seconds>', 'keep witnessing every N seconds instead of once')
    .action(async (base: string, o: WitnessOptions & { interval?: string }) => {
      const once = async () => {
        process.stdout.write(`${await witnessOnce(base, o)}\n`);
      };
      if (o.interval === undefined) {
        await once().catch(fail);
        return;
      }
      const every = Math.max(1, Number(o.interval)) * 1000;
      for (;;) {
        await once().catch((err: unknown) => {
          fail(err);
          if (isTlogVerifyError(err) && err.code === 'INCONSISTENT_HISTORY') process.exit(1);
        });
        await new Promise((r) => setTimeout(r, every));
      }
    });

  audit
    .command('witness-key')
    .description('generate a witness key pair (C2SP tlog-cosignature); prints the verifier key')
    .requiredOption('--name <name>', 'witness name, e.g. oversight.example.org/witness')
    .requiredOption('--out <file>', 'where to write the private signer key (mode 0600)')
    .action((o: { name: string; out: string }) => {
      const { signerKey, verifierKey } = generateCosignerKey(o.name);
      writeFileSync(o.out, `${signerKey}\n`, { mode: 0o600, flag: 'wx' });
      process.stdout.write(`${verifierKey}\n`);
    });

  registerLogKeyCommand(audit);

  audit
    .command('check-receipt <file>')
    .description('check a receipt from /api/v1/audit/events/{id}/receipt offline, with only the log key')
    .requiredOption('--vkey <vkey>', "the log's verifier key, or a file holding it")
    .action(async (file: string, o: { vkey: string }) => {
      try {
        process.stdout.write(`${checkReceiptFile(file, await readKeyArg(o.vkey))}\n`);
      } catch (err) {
        fail(err);
      }
    });
};
