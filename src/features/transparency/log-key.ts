import { chmodSync, existsSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { LogKeySource } from '../../core/config.ts';
import { TabellaError } from '../../core/errors.ts';
import { type Ed25519NoteSigner, generateNoteKey, noteSignerFromKey } from '../../tlog/index.ts';

export { LOG_KEY_FILE } from '../../core/config.ts';

/** Where this node's key comes from, for messages (never the key itself). */
export function keySourceLabel(source: LogKeySource): string {
  if (source.kind === 'value') return 'TABELLA_LOG_KEY';
  return source.from === 'TABELLA_LOG_KEY_FILE'
    ? `${source.path} (TABELLA_LOG_KEY_FILE)`
    : `${source.path} (the data directory's key file)`;
}

function parseKey(text: string, source: LogKeySource): Ed25519NoteSigner {
  try {
    return noteSignerFromKey(text.trim());
  } catch (err) {
    // The message names where the key came from, never any of its text (a secret).
    const field =
      source.kind === 'value'
        ? 'TABELLA_LOG_KEY'
        : source.from === 'TABELLA_LOG_KEY_FILE'
          ? 'TABELLA_LOG_KEY_FILE'
          : '--data-dir';
    throw new TabellaError(
      'VALIDATION_FAILED',
      `${keySourceLabel(source)} does not hold an Ed25519 signer key (PRIVATE+KEY+<origin>+<key id>+<key>, as in log-signer.key)`,
      { fields: [field], cause: err },
    );
  }
}

/**
 * This node's log signing key (C2SP signed-note signer key, the format of `log-signer.key`), or
 * undefined when the key file does not exist. Never creates one.
 */
export function readNodeKey(source: LogKeySource): Ed25519NoteSigner | undefined {
  if (source.kind === 'value') return parseKey(source.value, source);
  if (!existsSync(source.path)) return undefined;
  // The data directory's key is Tabella's to keep private; a file named by TABELLA_LOG_KEY_FILE may
  // be a read-only secret mount, left as the operator made it.
  if (source.from === 'data directory') chmodSync(source.path, 0o600);
  return parseKey(readFileSync(source.path, 'utf8'), source);
}

/**
 * Creates a key file for a fresh log (mode 0600). Returns the key and whether this call wrote the
 * file; when another process created it a moment ago ('wx' refuses to overwrite), that key.
 */
export function createKeyFile(path: string, origin: string): { signer: Ed25519NoteSigner; created: boolean } {
  mkdirSync(dirname(path), { recursive: true });
  const { signerKey } = generateNoteKey(origin);
  try {
    writeFileSync(path, `${signerKey}\n`, { mode: 0o600, flag: 'wx' });
    return { signer: noteSignerFromKey(signerKey), created: true };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return { signer: noteSignerFromKey(readFileSync(path, 'utf8').trim()), created: false };
  }
}

/** Removes a key file this process created for a log that another node claimed first. */
export function removeCreatedKeyFile(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Nothing to undo.
  }
}
