import type { Logger } from 'pino';

/**
 * Runs `run` every `intervalMs`, one run at a time (the next starts `intervalMs` after the last ended),
 * logging failures and going on. The worker's background jobs — deadline events, the ledger's
 * sequencing and checkpoints — are each safe with several workers, so this needs no leader election.
 */
export class PeriodicJob {
  private timer?: NodeJS.Timeout;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly run: () => Promise<Record<string, number | undefined> | undefined>,
    private readonly intervalMs: number,
    private readonly logger: Logger,
    /** Logged (with the run's figures) when a run did something. */
    private readonly didWork: string,
  ) {}

  start(): void {
    const tick = () => {
      this.running = this.run()
        .then((figures) => {
          if (figures && Object.values(figures).some((v) => v !== undefined && v > 0)) this.logger.info(figures, this.didWork);
        })
        .catch((error: Error) => this.logger.warn({ err: error.message }, 'background job failed; retrying at the next tick'))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, this.intervalMs);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    const timer = this.timer;
    this.timer = undefined;
    if (timer) clearTimeout(timer);
    await this.running;
  }
}
