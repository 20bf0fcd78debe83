import { EmitDeadlineEventsUseCase } from '@tongban/cases';
import type { Logger } from 'pino';

/**
 * Looks for limits that reached their warning share or due time every `checkIntervalMs`. Safe with
 * several workers: each event is recorded once (its key is case + limit + kind), so a race costs a
 * wasted signature, never a duplicate event.
 */
export class DeadlineTimer {
  private timer?: NodeJS.Timeout;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly emit: EmitDeadlineEventsUseCase,
    private readonly opts: { warningShare: number; checkIntervalMs: number },
    private readonly logger: Logger,
  ) {}

  start(): void {
    const tick = () => {
      this.running = this.emit
        .run(this.opts.warningShare)
        .then((emitted) => {
          if (emitted > 0) this.logger.info({ emitted }, 'deadline events emitted');
        })
        .catch((error: Error) => this.logger.warn({ err: error.message }, 'deadline check failed; retrying at the next tick'))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, this.opts.checkIntervalMs);
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
