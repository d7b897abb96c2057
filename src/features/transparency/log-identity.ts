import type { Clock } from '../../core/clock.ts';
import { isoTime } from '../../core/clock.ts';
import type { Config } from '../../core/config.ts';
import type { Db } from '../../db/index.ts';
import {
  type Ed25519NoteSigner,
  noteVerifierFromKey,
  openCheckpoint,
  parseCheckpoint,
  parseNote,
} from '../../tlog/index.ts';
import {
  type KnownIdentity,
  keyMismatch,
  keyMissing,
  keyNameMismatch,
  originMismatch,
} from './log-identity-errors.ts';
import { getLogIdentity, recordLogIdentity } from './log-identity-store.ts';
import { createKeyFile, readNodeKey, removeCreatedKeyFile } from './log-key.ts';
import { getLogState } from './log-store.ts';

/** The log a node signs: its database's origin and the one key of that database (issue 11 §6). */
export interface LogIdentity {
  readonly origin: string;
  readonly signer: Ed25519NoteSigner;
}

/**
 * What the database says about its log: the recorded identity; or, for a log that predates the
 * record (migration 014), its origin and latest checkpoint, which the right key must verify; or
 * nothing yet (a fresh database).
 */
type Stored =
  | { readonly kind: 'recorded'; readonly origin: string; readonly vkey: string }
  | { readonly kind: 'unrecorded'; readonly origin: string; readonly checkpoint: string }
  | { readonly kind: 'fresh' };

async function readStored(db: Db): Promise<Stored> {
  const row = await getLogIdentity(db.kysely);
  if (row !== undefined) return { kind: 'recorded', origin: row.origin, vkey: row.vkey };
  const state = await getLogState(db.kysely);
  if (state === undefined) return { kind: 'fresh' };
  return {
    kind: 'unrecorded',
    origin: parseCheckpoint(parseNote(state.checkpoint).text).origin,
    checkpoint: state.checkpoint,
  };
}

/** Throws the refusal when `signer` is not the key of a database that has a log; else returns. */
function checkKey(
  stored: Exclude<Stored, { kind: 'fresh' }>,
  signer: Ed25519NoteSigner | undefined,
  config: Config,
): Ed25519NoteSigner {
  const known: KnownIdentity = {
    origin: stored.origin,
    vkey: stored.kind === 'recorded' ? stored.vkey : undefined,
  };
  if (config.instanceNameSet && config.instanceName !== stored.origin)
    throw originMismatch(stored.origin, config);
  if (signer === undefined) throw keyMissing(known, config.logKey);
  const matches =
    stored.kind === 'recorded'
      ? signer.verifierKey === stored.vkey
      : signedBy(stored.checkpoint, signer, stored.origin);
  if (!matches) throw keyMismatch(known, config.logKey, signer.verifierKey);
  return signer;
}

/** Whether the stored checkpoint verifies with this key (the key that signed the log so far). */
function signedBy(checkpoint: string, signer: Ed25519NoteSigner, origin: string): boolean {
  try {
    openCheckpoint(checkpoint, [noteVerifierFromKey(signer.verifierKey)], { origin });
    return true;
  } catch {
    return false;
  }
}

/** This node's key, if it may sign for this database (the default `./data` only when it proves to). */
function nodeKey(config: Config, stored: Stored): Ed25519NoteSigner | undefined {
  const source = config.logKey;
  // A key in the default data directory while the database was named elsewhere is another
  // instance's: taken only for a log it already signs, never to start a fresh one.
  if (source.kind === 'file' && !source.bound && stored.kind === 'fresh') return undefined;
  return readNodeKey(source);
}

/**
 * Binds this node to its database's log identity at start: the first node on a fresh database
 * records its key and origin (creating the key file in its data directory if it has none); the
 * first node on a log that predates the record records its key once it verifies the latest stored
 * checkpoint; every other node must hold the recorded key and answer to the recorded origin, or it
 * refuses with LOG_KEY_MISSING, LOG_KEY_MISMATCH or LOG_ORIGIN_MISMATCH.
 */
export async function bindLogIdentity(deps: {
  readonly db: Db;
  readonly clock: Clock;
  readonly config: Config;
}): Promise<LogIdentity> {
  const { db, config } = deps;
  const stored = await readStored(db);
  if (stored.kind !== 'fresh') {
    const signer = checkKey(stored, nodeKey(config, stored), config);
    if (stored.kind === 'unrecorded') await record(deps, stored.origin, signer);
    return settle(deps, signer, undefined);
  }
  const given = nodeKey(config, stored);
  if (given !== undefined && config.instanceNameSet && given.name !== config.instanceName)
    throw keyNameMismatch(given.name, config);
  let signer = given;
  let created: string | undefined;
  if (signer === undefined) {
    const source = config.logKey;
    if (source.kind !== 'file' || !source.bound) throw keyMissing(undefined, source);
    const made = createKeyFile(source.path, config.instanceName);
    signer = made.signer;
    if (made.created) created = source.path;
  }
  await record(deps, signer.name, signer);
  return settle(deps, signer, created);
}

/** Records this key unless another node did first; `settle` then checks whose was recorded. */
async function record(
  deps: { readonly db: Db; readonly clock: Clock },
  origin: string,
  signer: Ed25519NoteSigner,
) {
  await recordLogIdentity(deps.db.kysely, {
    origin,
    vkey: signer.verifierKey,
    recorded_at: isoTime(deps.clock.now()),
  });
}

/** Reads back the recorded identity and checks this node's key against it (another node may have won). */
async function settle(
  deps: { readonly db: Db; readonly config: Config },
  signer: Ed25519NoteSigner,
  createdFile: string | undefined,
): Promise<LogIdentity> {
  const stored = await readStored(deps.db);
  if (stored.kind !== 'recorded') throw new Error('the log identity was not recorded');
  try {
    return { origin: stored.origin, signer: checkKey(stored, signer, deps.config) };
  } catch (err) {
    // A key this process generated for a log another node started at the same moment is of no use.
    if (createdFile !== undefined) removeCreatedKeyFile(createdFile);
    throw err;
  }
}

/** What `tabella audit log-key` reports: the database's log identity and whether this node's key is its key. */
export type LogIdentityReport =
  | { readonly state: 'recorded' | 'unrecorded'; readonly origin: string; readonly vkey: string }
  | { readonly state: 'fresh'; readonly origin: string; readonly vkey: string | undefined };

/**
 * The same checks as `bindLogIdentity`, changing nothing: refuses as the server would, or says
 * which identity the database has (or, fresh, which one the first server would record).
 */
export async function checkLogIdentity(deps: {
  readonly db: Db;
  readonly config: Config;
}): Promise<LogIdentityReport> {
  const { db, config } = deps;
  const stored = await readStored(db);
  if (stored.kind !== 'fresh') {
    const signer = checkKey(stored, nodeKey(config, stored), config);
    return { state: stored.kind, origin: stored.origin, vkey: signer.verifierKey };
  }
  const given = nodeKey(config, stored);
  if (given !== undefined && config.instanceNameSet && given.name !== config.instanceName)
    throw keyNameMismatch(given.name, config);
  if (given === undefined && (config.logKey.kind !== 'file' || !config.logKey.bound))
    throw keyMissing(undefined, config.logKey);
  return { state: 'fresh', origin: given?.name ?? config.instanceName, vkey: given?.verifierKey };
}
