import { dirname } from 'node:path';
import type { Config, LogKeySource } from '../../core/config.ts';
import { TabellaError } from '../../core/errors.ts';
import { keySourceLabel } from './log-key.ts';

/** What this database's log is, as the refusals name it. */
export interface KnownIdentity {
  readonly origin: string;
  /** The recorded verifier key; undefined for a log that predates the record (then its checkpoint decides). */
  readonly vkey: string | undefined;
}

/** How to give a node the key every node of the database signs with (docs/operations.md "Several nodes"). */
const HOW =
  'give this node the key of the nodes already running on this database: copy log-signer.key from their data directory into this one (--data-dir or TABELLA_DATA_DIR), or set TABELLA_LOG_KEY to that file\'s contents, or TABELLA_LOG_KEY_FILE to its path (docs/operations.md "Several nodes")';

function whose(known: KnownIdentity): string {
  return known.vkey === undefined
    ? `this database's transparency log "${known.origin}" is older than the record of its key: only the key that signed its latest checkpoint may sign it`
    : `this database's transparency log "${known.origin}" is signed by the key ${known.vkey}`;
}

/** Why the key file in the default data directory is not taken for a database named elsewhere. */
function unbound(source: LogKeySource): string {
  return source.kind === 'file' && !source.bound
    ? `; this node names no data directory, and the default one (${dirname(source.path)}) belongs to another database since --db or TABELLA_DB names this one`
    : '';
}

export function keyMissing(known: KnownIdentity | undefined, source: LogKeySource): TabellaError {
  if (known === undefined) {
    return new TabellaError(
      'LOG_KEY_MISSING',
      `this database has no transparency log yet and this node has no key to start one${unbound(source)}: name a data directory for this database with --data-dir or TABELLA_DATA_DIR (the first node creates log-signer.key there), or give a key in TABELLA_LOG_KEY or TABELLA_LOG_KEY_FILE`,
    );
  }
  const none =
    source.kind === 'file' && source.bound
      ? `; this node has no key at ${keySourceLabel(source)}`
      : unbound(source);
  return new TabellaError('LOG_KEY_MISSING', `${whose(known)}${none}: ${HOW}`);
}

export function keyMismatch(known: KnownIdentity, source: LogKeySource, nodeVkey: string): TabellaError {
  return new TabellaError(
    'LOG_KEY_MISMATCH',
    `${whose(known)}, but this node's key from ${keySourceLabel(source)} is ${nodeVkey}${unbound(source)}: ${HOW}. A log's key cannot be changed`,
  );
}

/** A node named otherwise than its database's log (`TABELLA_INSTANCE_NAME`). */
export function originMismatch(origin: string, config: Config): TabellaError {
  return new TabellaError(
    'LOG_ORIGIN_MISMATCH',
    `this database's transparency log is "${origin}", but TABELLA_INSTANCE_NAME is "${config.instanceName}": unset it or set it to "${origin}" (a log's origin never changes)`,
  );
}

/** A fresh log whose given key is named otherwise than `TABELLA_INSTANCE_NAME` (the key name is the origin). */
export function keyNameMismatch(keyName: string, config: Config): TabellaError {
  return new TabellaError(
    'LOG_ORIGIN_MISMATCH',
    `this node's log key signs for "${keyName}", but TABELLA_INSTANCE_NAME is "${config.instanceName}": unset TABELLA_INSTANCE_NAME (the log takes the key's name) or give a key named "${config.instanceName}"`,
  );
}
