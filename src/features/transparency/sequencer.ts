import { setImmediate } from 'node:timers/promises';
import type { Clock } from '../../core/clock.ts';
import { isoTime } from '../../core/clock.ts';
import type { Db } from '../../db/index.ts';
import {
  EMPTY_ROOT,
  entriesPath,
  formatEntryBundle,
  type NoteSigner,
  parseEntryBundle,
  partialTilesOfTree,
  signCheckpoint,
  TILE_WIDTH,
  type TileData,
  TreeBuilder,
} from '../../tlog/index.ts';
import type { Tx } from '../context.ts';
import { entryBytes, newSalts } from './entry.ts';

/** Entries hashed between two turns of the event loop (~5 ms of work). */
const YIELD_EVERY = 250;
/** Pending events read at once (~2 ms on SQLite's synchronous reader). */
const READ_PAGE = 500;

import {
  advanceLogState,
  assignLogIndexes,
  getLogState,
  insertCheckpoint,
  insertInitialState,
  lockLogState,
  type PendingEvent,
  pendingEvents,
  readBundle,
  readTile,
  upsertBundles,
  upsertTiles,
} from './log-store.ts';

export interface SequencerOptions {
  readonly db: Db;
  readonly clock: Clock;
  readonly origin: string;
  readonly signer: NoteSigner;
  /** Most events per batch (one durable commit each). */
  readonly batchSize?: number;
}

/** What one batch did. */
export interface BatchResult {
  readonly appended: number;
  readonly size: number;
}

/**
 * Sequences audit events into the Merkle log (issue 5): each batch reads unsequenced events in
 * recording order, appends their public entries, writes the new tiles, entry bundles, a signed
 * checkpoint and the events' log indexes — all in one transaction, one durable commit per batch.
 * The tree is kept in memory between batches and rebuilt from the stored partial tiles whenever
 * the stored size is not the one it expects (restart, or another node sequenced meanwhile).
 */
export class Sequencer {
  readonly #o: SequencerOptions;
  #tree: TreeBuilder | undefined;
  /** Entries of the current incomplete entry bundle. */
  #bundle: Uint8Array[] = [];

  constructor(options: SequencerOptions) {
    this.#o = options;
  }

  /** Publishes the empty tree's checkpoint on a brand-new log. */
  async init(): Promise<void> {
    if ((await getLogState(this.#o.db.kysely)) !== undefined) return;
    const note = this.#sign(0, EMPTY_ROOT);
    const at = isoTime(this.#o.clock.now());
    await this.#o.db.kysely.transaction().execute(async (trx) => {
      await insertInitialState(trx, {
        id: 1,
        size: 0,
        root: Buffer.from(EMPTY_ROOT).toString('base64'),
        checkpoint: note,
        updated_at: at,
      });
      await insertCheckpoint(trx, {
        size: 0,
        root: Buffer.from(EMPTY_ROOT).toString('base64'),
        note,
        created_at: at,
      });
    });
  }

  /** Runs one batch; returns how many events it appended (0 when none were waiting). */
  async runBatch(): Promise<BatchResult> {
    const { db } = this.#o;
    try {
      return await db.kysely.transaction().execute((trx) => this.#batch(trx));
    } catch (err) {
      // Whatever failed, the in-memory tree may be ahead of the database: rebuild it next time.
      this.#tree = undefined;
      throw err;
    }
  }

  /** Runs batches until no event is waiting. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const { appended } = await this.runBatch();
      total += appended;
      if (appended === 0) return total;
    }
  }

  async #batch(trx: Tx): Promise<BatchResult> {
    const state = await lockLogState(trx, this.#o.db.engine);
    if (state === undefined) throw new Error('the log has no state: call init() first');
    const events = await this.#pending(trx);
    if (events.length === 0) return { appended: 0, size: state.size };
    if (this.#tree === undefined || this.#tree.size !== state.size)
      await this.#resume(trx, state.size, state.root);
    const tree = this.#tree as TreeBuilder;
    const fromSize = tree.size;
    const assigned: { id: string; index: number; salt: string }[] = [];
    const fullBundles: { idx: number; width: number; data: Uint8Array }[] = [];
    const salts = newSalts(events.length);
    for (const [i, event] of events.entries()) {
      // Hashing thousands of entries is CPU work: let the event loop turn between slices of it
      // (/healthz and other requests answer meanwhile; issue 10 §2).
      if (i % YIELD_EVERY === YIELD_EVERY - 1) await setImmediate();
      const salt = salts[i] as string;
      const entry = entryBytes(event, salt);
      assigned.push({ id: event.id, index: tree.size, salt });
      tree.appendEntry(entry);
      this.#bundle.push(entry);
      if (this.#bundle.length === TILE_WIDTH) {
        fullBundles.push({
          idx: tree.size / TILE_WIDTH - 1,
          width: TILE_WIDTH,
          data: formatEntryBundle(this.#bundle),
        });
        this.#bundle = [];
      }
    }
    const tiles: TileData[] = [...tree.takeFullTiles(), ...tree.partialTiles()];
    const bundles =
      this.#bundle.length > 0
        ? [
            ...fullBundles,
            {
              idx: Math.floor(tree.size / TILE_WIDTH),
              width: this.#bundle.length,
              data: formatEntryBundle(this.#bundle),
            },
          ]
        : fullBundles;
    const root = tree.root();
    const rootB64 = Buffer.from(root).toString('base64');
    const note = this.#sign(tree.size, root);
    const at = isoTime(this.#o.clock.now());
    await assignLogIndexes(trx, this.#o.db.engine, assigned);
    await upsertTiles(trx, tiles);
    await upsertBundles(trx, bundles);
    await insertCheckpoint(trx, { size: tree.size, root: rootB64, note, created_at: at });
    if (
      !(await advanceLogState(trx, fromSize, {
        size: tree.size,
        root: rootB64,
        checkpoint: note,
        updated_at: at,
      }))
    ) {
      throw new Error('the log moved under this sequencer; retrying from the stored state');
    }
    return { appended: events.length, size: tree.size };
  }

  /**
   * The batch's events. With SQLite's writer thread the rows are read on this thread's reader rather than carried
   * across threads: this transaction holds the write lock, so no event can be committed meanwhile
   * and the reader sees exactly the pending events the transaction sees. That reader answers
   * synchronously, so one read of 5,000 rows would hold the event loop for ~20 ms (issue 10 §2):
   * there they are read in pages of READ_PAGE, with a turn of the event loop between pages.
   */
  async #pending(trx: Tx): Promise<PendingEvent[]> {
    const beside = this.#o.db.readsBesideWriter;
    const reader = beside ? this.#o.db.kysely : trx;
    const limit = this.#o.batchSize ?? 5000;
    // Read inside the transaction (PostgreSQL; SQLite without the writer thread, as the CLI): one page.
    const pageSize = beside ? READ_PAGE : limit;
    const events: PendingEvent[] = [];
    for (;;) {
      const last = events.at(-1);
      if (last !== undefined) await setImmediate();
      const want = Math.min(pageSize, limit - events.length);
      const page = await pendingEvents(reader, want, last);
      events.push(...page);
      if (page.length < want || events.length >= limit) return events;
    }
  }

  async #resume(trx: Tx, size: number, rootB64: string): Promise<void> {
    const partial: TileData[] = [];
    for (const tile of partialTilesOfTree(size)) {
      const stored = await readTile(trx, tile.level, tile.index);
      if (stored === undefined || stored.width < tile.width)
        throw new Error(`log tile ${tile.level}/${tile.index} is missing`);
      partial.push({ tile, hashes: stored.data.subarray(0, tile.width * 32) });
    }
    const tree = TreeBuilder.resume(size, partial);
    if (Buffer.from(tree.root()).toString('base64') !== rootB64)
      throw new Error('stored tiles do not match the stored root');
    const rest = size % TILE_WIDTH;
    const bundle = rest === 0 ? undefined : await readBundle(trx, Math.floor(size / TILE_WIDTH));
    this.#bundle =
      bundle === undefined
        ? []
        : parseEntryBundle(bundle.data)
            .slice(0, rest)
            .map((e) => Uint8Array.from(e));
    if (this.#bundle.length !== rest)
      throw new Error(`log entry bundle ${entriesPath(Math.floor(size / TILE_WIDTH), rest)} is missing`);
    this.#tree = tree;
  }

  #sign(size: number, root: Uint8Array): string {
    return signCheckpoint({ origin: this.#o.origin, size, rootHash: root, extensions: [] }, [this.#o.signer]);
  }
}
