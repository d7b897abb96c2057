// The whole database's state in one comparable value, to prove a refused request wrote nothing.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { TestServer } from './server.ts';

/** Every table of the server's database (its own schema on PostgreSQL), by name. */
export async function tableNames(s: TestServer): Promise<string[]> {
  const q =
    s.db.engine === 'sqlite'
      ? sql<{
          name: string;
        }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`
      : sql<{ name: string }>`select table_name as name from information_schema.tables
          where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`;
  return (await q.execute(s.db.kysely)).rows.map((r) => r.name);
}

/**
 * Columns authentication itself touches on every request (when a token or session was last used):
 * bookkeeping of the credential, not a write of the request.
 */
export const AUTH_BOOKKEEPING: readonly string[] = ['api_tokens.last_used_at', 'sessions.last_seen_at'];

/**
 * Each table's row count and a digest of its rows (every column but `ignore`d ones, in a stable
 * order), so any write — an insert, an update of one column, a delete — changes the state.
 */
export async function databaseState(
  s: TestServer,
  ignore: readonly string[] = AUTH_BOOKKEEPING,
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of await tableNames(s)) {
    const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(t)}`.execute(s.db.kysely))
      .rows;
    const kept = (r: Record<string, unknown>) =>
      Object.entries(r)
        .filter(([c]) => !ignore.includes(`${t}.${c}`))
        .sort(([a], [b]) => (a < b ? -1 : 1));
    const lines = rows.map((r) => JSON.stringify(kept(r))).sort();
    out[t] = `${rows.length} ${createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16)}`;
  }
  return out;
}
