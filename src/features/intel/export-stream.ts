import { Readable } from 'node:stream';
import { recordAudit } from '../audit/record.ts';
import type { ServiceContext } from '../context.ts';
import { type ExportFormat, exportWriter } from './exports.ts';
import type { ObjectQuery } from './query.ts';
import { isSensitiveRead, listObjects, MAX_PAGE } from './read-service.ts';

/** What an export selects: the filters of `GET /intel`, every page of them, oldest first. */
export type ExportQuery = Omit<ObjectQuery, 'limit' | 'order' | 'orderBy'>;

/** How many ids of sensitive objects the `intel.export` event lists (`sensitiveCount` counts them all). */
const SENSITIVE_IDS = 1000;

/** Bytes the stream buffers before it stops reading pages: with the socket's, about one page. */
const HIGH_WATER_MARK = 64 * 1024;

/**
 * The text of an export, chunk by chunk: one page (`MAX_PAGE` versions) at a time from the keyset
 * cursor of `listObjects` — the one visibility rule, the preferred lineage, oldest first — so every
 * visible version is included (issue 10 §4: no cap) and memory stays one page whatever the size.
 *
 * The export is audited once (unless anonymous), as `intel.export`, with the number of objects and the ids of the
 * RED and AMBER+STRICT ones another organization owns. The event is written after the last page and
 * before the last chunk, so a complete file always has its event; an export that stops early (the
 * reader went away, a query failed) records what it had read, with `complete: false`, and then
 * fails. Nothing is yielded before the first page was read, so a first query that fails (a bad
 * cursor, a bad `added_after`) is still an ordinary coded error response, and records nothing.
 */
export async function* exportChunks(
  ctx: ServiceContext,
  q: ExportQuery,
  format: ExportFormat,
  pageSize: number = MAX_PAGE,
): AsyncGenerator<string> {
  const writer = exportWriter(format);
  const sensitive: string[] = [];
  let objects = 0;
  let sensitiveCount = 0;
  let recorded = false;
  // Until the first page is read nothing has been disclosed: a refused first query (a bad cursor)
  // is an ordinary coded error and records nothing, like every refused request.
  let read = false;
  const record = async (complete: boolean) => {
    recorded = true;
    // Anonymous exports hold public objects only and are not recorded, like anonymous TAXII pulls
    // of Public: recording them would let anyone grow the log.
    if (ctx.actor.kind === 'anonymous') return;
    await ctx.db.transaction().execute((trx) =>
      recordAudit(trx, ctx, {
        action: 'intel.export',
        subjectType: 'intel',
        subjectId: null,
        details: { format: format.kind, objects, sensitiveCount, sensitive, complete },
      }),
    );
  };
  try {
    let cursor = q.cursor;
    let text = writer.head();
    for (;;) {
      const page = await listObjects(ctx, { ...q, cursor, limit: pageSize, order: 'asc' }, 'none');
      read = true;
      objects += page.items.length;
      for (const v of page.items) {
        if (!isSensitiveRead(ctx, v.tlp, v.ownerOrgId)) continue;
        sensitiveCount += 1;
        if (sensitive.length < SENSITIVE_IDS) sensitive.push(v.stixId);
      }
      text += writer.page(page.items);
      if (page.next === null) break;
      if (text !== '') yield text;
      text = '';
      cursor = page.next;
    }
    await record(true);
    text += writer.tail();
    if (text !== '') yield text;
  } finally {
    if (!recorded && read) await record(false);
  }
}

/**
 * `exportChunks` as a byte stream with backpressure: a page is read only when the reader has taken
 * the previous one. A failure destroys the stream (an HTTP reply is then aborted, never ended as
 * if the file were whole).
 */
export function exportStream(ctx: ServiceContext, q: ExportQuery, format: ExportFormat): Readable {
  return Readable.from(exportChunks(ctx, q, format), { objectMode: false, highWaterMark: HIGH_WATER_MARK });
}
