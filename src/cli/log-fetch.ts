import { readFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import type { LogFetch } from '../tlog/index.ts';

const isHttp = (location: string) => /^https?:\/\//i.test(location);

/**
 * A Tabella instance given either way people copy it — the server's base URL (`https://host`) or
 * its log's (`https://host/log`), with or without a trailing slash — as both addresses.
 *
 * @example
 * tabellaUrls('https://isac.example/log/'); // { server: 'https://isac.example', log: 'https://isac.example/log' }
 */
export function tabellaUrls(url: string): { readonly server: string; readonly log: string } {
  const base = url.replace(/\/+$/, '');
  return /\/log$/i.test(base)
    ? { server: base.slice(0, -'/log'.length), log: base }
    : { server: base, log: `${base}/log` };
}

/**
 * Reads a C2SP tlog-tiles log from a base URL (`https://host/log`) or a directory holding the same
 * layout (`checkpoint`, `tile/…`). Missing resources resolve `undefined` (HTTP 404, ENOENT).
 */
export function logFetcher(location: string): LogFetch {
  if (isHttp(location)) {
    const base = location.replace(/\/+$/, '');
    return async (path) => {
      const res = await fetch(`${base}/${path}`);
      if (res.status === 404) return undefined;
      if (!res.ok) throw new Error(`GET ${base}/${path}: HTTP ${res.status}`);
      // A web app answering every path with its page is not a log: say so, not "malformed note".
      if (/^text\/html/i.test(res.headers.get('content-type') ?? ''))
        throw new Error(`GET ${base}/${path} answered a web page: ${base} is not a log's URL`);
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

/**
 * Where `tabella audit verify` reads a log: a directory; a URL ending in `/log` (a Tabella log); or
 * another URL, which is the log itself when it serves a checkpoint and otherwise a Tabella server
 * whose log is at `/log` — so any C2SP tlog-tiles log and both forms of a Tabella address work.
 */
export async function locateLog(location: string): Promise<string> {
  if (!isHttp(location)) return location;
  const { server, log } = tabellaUrls(location);
  if (log === location.replace(/\/+$/, '')) return log;
  const probe = await logFetcher(server)('checkpoint').catch(() => undefined);
  return probe === undefined ? log : server;
}

/** Reads a key given inline or as a file name. */
export async function readKeyArg(value: string): Promise<string> {
  if (/^[^\s+]+\+[0-9a-f]{8}\+[A-Za-z0-9+/=]+$/.test(value) || value.startsWith('PRIVATE+KEY+'))
    return value.trim();
  return (await readFile(value, 'utf8')).trim();
}
