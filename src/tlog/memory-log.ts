/**
 * A complete C2SP tlog-tiles log in memory: entries in, tiles, entry bundles and signed checkpoints
 * out, under the paths the spec gives. It is how a sequencer is meant to drive `TreeBuilder`, and
 * a faithful fake log for tests of verifiers and witnesses.
 */
import { signCheckpoint } from './checkpoint.ts';
import { formatEntryBundle } from './entry-bundle.ts';
import type { NoteSigner } from './note-keys.ts';
import type { LogFetch } from './tile-client.ts';
import { entriesPath, TILE_WIDTH, tilePath } from './tile-path.ts';
import { TreeBuilder } from './tree-builder.ts';

/**
 * @example
 * const log = new MemoryTiledLog('example.org/log', [signer]);
 * log.append([Buffer.from('event')]);
 * const note = log.publish();
 * await verifyTiledLog({ checkpoint: note, verifiers, fetch: log.fetch });
 */
export class MemoryTiledLog {
  /** Every resource, by path relative to the log prefix. Tests may tamper with it. */
  readonly files = new Map<string, Uint8Array>();
  readonly tree = new TreeBuilder();
  #bundle: Uint8Array[] = [];

  constructor(
    readonly origin: string,
    readonly signers: readonly NoteSigner[],
  ) {}

  /** Appends entries; writes each tile and entry bundle as soon as it is full. */
  append(entries: readonly Uint8Array[]): void {
    for (const entry of entries) {
      this.tree.appendEntry(entry);
      this.#bundle.push(entry);
      if (this.#bundle.length === TILE_WIDTH) {
        const index = this.tree.size / TILE_WIDTH - 1;
        this.files.set(entriesPath(index, TILE_WIDTH), formatEntryBundle(this.#bundle));
        this.#bundle = [];
      }
    }
    for (const { tile, hashes } of this.tree.takeFullTiles()) this.files.set(tilePath(tile), hashes);
  }

  /** Writes the partial tiles and bundle of the current size and a signed checkpoint; returns it. */
  publish(): string {
    for (const { tile, hashes } of this.tree.partialTiles()) this.files.set(tilePath(tile), hashes);
    if (this.#bundle.length > 0)
      this.files.set(
        entriesPath(Math.floor(this.tree.size / TILE_WIDTH), this.#bundle.length),
        formatEntryBundle(this.#bundle),
      );
    const note = signCheckpoint(
      { origin: this.origin, size: this.tree.size, rootHash: this.tree.root(), extensions: [] },
      this.signers,
    );
    this.files.set('checkpoint', Buffer.from(note, 'utf8'));
    return note;
  }

  readonly fetch: LogFetch = async (path) => this.files.get(path);
}
