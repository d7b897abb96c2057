/** A port for time, so tests can control it (STYLE.md practice 10). */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to; for tests. */
export class ManualClock implements Clock {
  #ms: number;
  constructor(startMs: number) {
    this.#ms = startMs;
  }
  now(): number {
    return this.#ms;
  }
  advance(ms: number): void {
    this.#ms += ms;
  }
}

/** RFC 3339 UTC timestamp with millisecond precision, as STIX and our API use. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
