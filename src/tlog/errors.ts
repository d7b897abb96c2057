/**
 * Typed errors of the transparency-log layer (STYLE.md practice 4): callers `switch (err.code)`,
 * never match message text. Messages name the resource at fault (a tile path, a key name) but never
 * echo whole attacker-controlled inputs (STYLE.md practice 20).
 */

/**
 * Why a log, note, checkpoint, tile or proof was refused.
 *
 * - `MALFORMED`: bytes or text that do not follow the format (signed-note, tlog-checkpoint,
 *   tlog-tiles, key strings), or arguments outside the tree.
 * - `BAD_SIGNATURE`: a signature by a known key does not verify, or no known key signed the note.
 * - `ROOT_MISMATCH`: the tree rebuilt from the tiles does not have the checkpoint's root hash.
 * - `TILE_INCONSISTENT`: a tile does not match its children (lower tile or entry bundle).
 * - `INCONSISTENT_HISTORY`: a newer checkpoint is not an append-only extension of an older one.
 * - `INVALID_PROOF`: an inclusion proof does not lead to the expected root.
 * - `MISSING_TILE`: a tile or entry bundle the tree size requires could not be fetched.
 */
export type TlogVerifyErrorCode =
  | 'MALFORMED'
  | 'BAD_SIGNATURE'
  | 'ROOT_MISMATCH'
  | 'TILE_INCONSISTENT'
  | 'INCONSISTENT_HISTORY'
  | 'INVALID_PROOF'
  | 'MISSING_TILE';

/**
 * A refusal by the transparency-log layer, narrowed by its code.
 *
 * @example
 * try { await verifyTiledLog(options); } catch (e) {
 *   if (e instanceof TlogVerifyError && e.code === 'MISSING_TILE') console.log(e.resource);
 * }
 */
export class TlogVerifyError<C extends TlogVerifyErrorCode = TlogVerifyErrorCode> extends Error {
  readonly code: C;
  /** The tlog-tiles path (e.g. `tile/0/x001/234`) or key name the failure is about, when there is one. */
  readonly resource: string | undefined;

  constructor(
    code: C,
    message: string,
    options: { readonly cause?: unknown; readonly resource?: string } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TlogVerifyError';
    this.code = code;
    this.resource = options.resource;
  }
}

export function isTlogVerifyError(value: unknown): value is TlogVerifyError {
  return value instanceof TlogVerifyError;
}

/** Shorthand for the most frequent refusal: input that does not follow the format. */
export const malformed = (message: string, resource?: string): TlogVerifyError<'MALFORMED'> =>
  new TlogVerifyError('MALFORMED', message, resource === undefined ? {} : { resource });
