import { TabellaError } from '../../core/errors.ts';

const WINDOW_MS = 60_000;
/** What a refusal for too many exports at once suggests: a running export's end is unknown. */
const BUSY_RETRY_S = 5;

export interface ExportLimits {
  /** Exports one key may run at the same time. */
  readonly concurrent: number;
  /** Exports one key may start in any 60 s. */
  readonly perMinute: number;
}

/**
 * Admission of REST exports per member (issue 10 §4): at most `concurrent` running and `perMinute`
 * started in any sliding minute, else `RATE_LIMITED` (429) with `Retry-After`. State is per server
 * process (as the address-based rate limits are); each node of a PostgreSQL deployment admits its
 * own. Refused exports do not count.
 */
export class ExportLimiter {
  readonly #running = new Map<string, number>();
  readonly #started = new Map<string, number[]>();

  /**
   * Admits an export of `key` at `nowMs`, or throws `RATE_LIMITED`. The returned function releases
   * the slot; calling it more than once releases it once.
   */
  admit(key: string, nowMs: number, limits: ExportLimits): () => void {
    const started = (this.#started.get(key) ?? []).filter((t) => t > nowMs - WINDOW_MS);
    const running = this.#running.get(key) ?? 0;
    if (started.length >= limits.perMinute) {
      const oldest = started[started.length - limits.perMinute] ?? nowMs;
      const seconds = Math.max(1, Math.ceil((oldest + WINDOW_MS - nowMs) / 1000));
      throw new TabellaError('RATE_LIMITED', `at most ${limits.perMinute} exports per minute`, {
        headers: { 'retry-after': String(seconds) },
      });
    }
    if (running >= limits.concurrent) {
      throw new TabellaError('RATE_LIMITED', `at most ${limits.concurrent} exports at a time`, {
        headers: { 'retry-after': String(BUSY_RETRY_S) },
      });
    }
    started.push(nowMs);
    this.#started.set(key, started);
    this.#running.set(key, running + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const n = (this.#running.get(key) ?? 1) - 1;
      if (n > 0) this.#running.set(key, n);
      else this.#running.delete(key);
    };
  }
}
