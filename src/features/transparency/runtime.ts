import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../../core/clock.ts';
import type { Db } from '../../db/index.ts';
import type { Ed25519NoteSigner } from '../../tlog/index.ts';
import type { LogIdentity } from './log-identity.ts';
import { Sequencer } from './sequencer.ts';

/**
 * The transparency log as the server runs it: the database's log identity (`bindLogIdentity`,
 * issue 11 §6) and a sequencer that publishes a new checkpoint every `intervalMs` while events
 * arrive (issue 5 §3).
 */
export class LogRuntime {
  readonly signer: Ed25519NoteSigner;
  readonly sequencer: Sequencer;
  readonly origin: string;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> | undefined;

  constructor(deps: { readonly db: Db; readonly clock: Clock; readonly identity: LogIdentity }) {
    this.origin = deps.identity.origin;
    this.signer = deps.identity.signer;
    this.sequencer = new Sequencer({
      db: deps.db,
      clock: deps.clock,
      origin: this.origin,
      signer: this.signer,
    });
  }

  get verifierKey(): string {
    return this.signer.verifierKey;
  }

  /** Sequences every waiting event now; resolves with how many were appended. */
  async flush(): Promise<number> {
    while (this.#running !== undefined) await this.#running;
    const run = this.sequencer.drain();
    this.#running = run;
    try {
      return await run;
    } finally {
      this.#running = undefined;
    }
  }

  start(intervalMs: number, log: FastifyBaseLogger): void {
    this.#timer = setInterval(() => {
      if (this.#running !== undefined) return;
      this.flush().catch((err: unknown) =>
        log.error({ err }, 'transparency log sequencing failed; will retry'),
      );
    }, intervalMs);
    this.#timer.unref();
  }

  /** Stops the timer and sequences what is left, so a graceful stop leaves nothing pending. */
  async stop(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.flush().catch(() => undefined);
  }
}
