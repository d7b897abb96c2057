/**
 * The settings of Tabella's SQLite connections, in one place: the connection that writes (in the
 * server's writer thread, or the CLI's only connection) runs WRITER_PRAGMAS, the server's
 * main-thread reader READER_PRAGMAS.
 */

/** SQLite's own busy handler sleeps inside the call; kept short (see sqlite-dialect.ts). */
export const SQLITE_BUSY_TIMEOUT_MS = 25;

export const WRITER_PRAGMAS: readonly string[] = [
  // 8 KiB pages (new databases only; SQLite ignores this for an existing file): an intel row is
  // ~1.5 KiB, and larger pages mean fewer page splits and WAL frames in bulk imports (+10%).
  'page_size = 8192',
  'journal_mode = WAL',
  `busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`,
  'foreign_keys = ON',
  // 64 MiB of page cache (the default is 2 MiB): indexes over random UUIDs stay in memory longer.
  'cache_size = -65536',
  // FULL: a commit is on disk before it is acknowledged (WAL + NORMAL may lose the last commits on power loss).
  'synchronous = FULL',
  // Checkpoint every ~80 MiB of WAL rather than every 8 MiB: a bulk import's index pages are then
  // copied into the database once per checkpoint instead of once per commit (+15% import rate).
  'wal_autocheckpoint = 10000',
];

export const READER_PRAGMAS: readonly string[] = [
  `busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`,
  'cache_size = -65536',
];
