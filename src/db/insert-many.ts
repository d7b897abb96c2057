import { CompiledQuery, type Insertable, type Kysely } from 'kysely';
import type { Database } from './schema.ts';

type Table = keyof Database & string;

/** SQL text of a `rows`-row insert into `table`'s `columns`, by dialect (bounded). */
const texts = new Map<string, string>();

/** Tells the dialects apart by how they write a parameter (`?` or `$1`). */
function dialectOf(db: Kysely<Database>): string {
  return db.selectFrom('settings').select('key').where('key', '=', '').compile().sql.slice(-2);
}

function insertText<T extends Table>(
  db: Kysely<Database>,
  dialect: string,
  table: T,
  columns: readonly string[],
  rows: number,
) {
  const key = `${dialect}\u0000${table}\u0000${columns.join(',')}\u0000${rows}`;
  let text = texts.get(key);
  if (text === undefined) {
    // Compiled once by Kysely with placeholder values: every value of an insert is a parameter,
    // so the text is the same for any values of the same shape, on either dialect.
    const row = Object.fromEntries(columns.map((c) => [c, 0]));
    text = db
      .insertInto(table)
      .values(Array.from({ length: rows }, () => row) as never)
      .compile().sql;
    if (texts.size > 256) texts.clear();
    texts.set(key, text);
  }
  return text;
}

/**
 * Inserts many rows of one table in multi-row statements of `chunk` rows, reusing the SQL text
 * (and so the prepared statement) of each shape instead of building and compiling a query tree
 * per statement — bulk imports spend most of their JavaScript time there otherwise. Every row must
 * have the same keys, in the same order, as the first.
 */
export async function insertMany<T extends Table>(
  db: Kysely<Database>,
  table: T,
  rows: readonly Insertable<Database[T]>[],
  chunk = 200,
): Promise<void> {
  await insertManyReturning(db, table, rows, chunk, '');
}

/**
 * `insertMany` with a fixed SQL tail appended to each statement (e.g. `on conflict do nothing
 * returning id`, which both dialects accept); returns the rows the statements returned.
 */
export async function insertManyReturning<T extends Table>(
  db: Kysely<Database>,
  table: T,
  rows: readonly Insertable<Database[T]>[],
  chunk: number,
  tail: string,
): Promise<Record<string, unknown>[]> {
  const first = rows[0];
  if (first === undefined) return [];
  const columns = Object.keys(first);
  const dialect = dialectOf(db);
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    const params: unknown[] = [];
    for (const row of part) {
      const values = row as Record<string, unknown>;
      for (const c of columns) params.push(values[c] === undefined ? null : values[c]);
    }
    const text = insertText(db, dialect, table, columns, part.length);
    const r = await db.executeQuery<Record<string, unknown>>(
      CompiledQuery.raw(tail === '' ? text : `${text} ${tail}`, params),
    );
    out.push(...r.rows);
  }
  return out;
}
