import { readFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import type { LogFetch } from '../tlog/index.ts';

/**
 * Reads a C2SP tlog-tiles log from a base URL (`https://host/log`) or a directory holding the same
 * layout (`checkpoint`, `tile/…`). Missing resources resolve `undefined` (HTTP 404, ENOENT).
 */
export function logFetcher(location: string): LogFetch {
  if (/^https?:\/\//.test(location)) {
    const base = location.replace(/\/+$/, '');
    return async (path) => {
      const res = await fetch(`${base}/${path}`);
      if (res.status === 404) return undefined;
      if (!res.ok) throw new Error(`GET ${base}/${path}: HTTP ${res.status}`);
      return new Uint8Array(await res.arrayBuffer());
    };
  }
  const root = resolve(location);
  return async (path) => {
    const file = resolve(join(root, path));
    // Paths come from our own verifier, but never read outside the directory all the same.
    if (!file.startsWith(root + sep)) return undefined;
    try {
      return new Uint8Array(await readFile(file));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  };
}

/** Reads a key given inline or as a file name. */
export async function readKeyArg(value: string): Promise<string> {
  if (/^[^\s+]+\+[0-9a-f]{8}\+[A-Za-z0-9+/=]+$/.test(value) || value.startsWith('PRIVATE+KEY+'))
    return value.trim();
  return (await readFile(value, 'utf8')).trim();
}
