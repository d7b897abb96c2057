import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Ed25519NoteSigner, generateNoteKey, noteSignerFromKey } from '../../tlog/index.ts';

export const LOG_KEY_FILE = 'log-signer.key';

/**
 * The instance's Ed25519 checkpoint key (C2SP signed-note), created at first start in the data
 * directory with mode 0600. Every API node of one instance must share this file. The key name is
 * the log origin, as C2SP tlog-checkpoint recommends.
 */
export function loadOrCreateLogSigner(dataDir: string, origin: string): Ed25519NoteSigner {
  const file = join(dataDir, LOG_KEY_FILE);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    const { signerKey } = generateNoteKey(origin);
    try {
      // 'wx' refuses to overwrite a key another process created a moment ago.
      writeFileSync(file, `${signerKey}\n`, { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  chmodSync(file, 0o600);
  const signer = noteSignerFromKey(readFileSync(file, 'utf8').trim());
  if (signer.name !== origin) {
    throw new Error(`${file} signs for "${signer.name}", but this instance's name is "${origin}"`);
  }
  return signer;
}
