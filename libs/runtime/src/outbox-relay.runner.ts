import { OutboxSignal, RelayOutboxUseCase } from '@tongban/cases';
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { ExchangeMetrics } from './metrics';

/** In-process wake-up call from the accepting use case to the relay of the same process. */
export class LocalOutboxSignal extends OutboxSignal {
  private readonly events = new EventEmitter();
  notify(): void {
    this.events.emit('new');
  }
  onNotify(listener: () => void): () => void {
    this.events.on('new', listener);
    return () => this.events.off('new', listener);
  }
}

/**
 * Runs the outbox relay: drains right after a local commit (no poll delay on the hot path) and on a
 * timer, which also picks up rows left by another process that crashed. Failures back off and retry:
 * the rows stay in the outbox until the broker confirms them.
 */
export class OutboxRelayRunner {
  private running = false;
  private wanted = false;
  private stopped = false;
  private timer?: NodeJS.Timeout;
  private unsubscribe?: () => void;
  private failures = 0;
  private current: Promise<void> = Promise.resolve();

  constructor(
    private readonly relay: RelayOutboxUseCase,
    private readonly signal: LocalOutboxSignal,
    private readonly opts: { batchSize: number; pollIntervalMs: number },
    private readonly logger: Logger,
    private readonly metrics: ExchangeMetrics,
  ) {}

  start(): void {
    // While backing off after a failure, new commits wait for the timer: hammering a broker that is
    // down would only grow the backoff (the rows are safe in the outbox meanwhile).
    this.unsubscribe = this.signal.onNotify(() => {
      if (this.failures === 0) this.kick();
    });
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.timer) clearTimeout(this.timer);
    await this.current;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.kick(), ms);
  }

  private kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.wanted = true;
      return;
    }
    this.running = true;
    this.current = this.loop();
  }

  private async loop(): Promise<void> {
    try {
      do {
        this.wanted = false;
        const published = await this.relay.drain(this.opts.batchSize);
        if (published > 0) this.metrics.published.inc(published);
        this.failures = 0;
      } while (this.wanted && !this.stopped);
      this.schedule(this.opts.pollIntervalMs);
    } catch (error) {
      this.failures += 1;
      const delay = Math.min(30_000, this.opts.pollIntervalMs * 2 ** Math.min(this.failures, 8));
      this.logger.warn({ err: (error as Error).message, retryInMs: delay }, 'outbox relay could not publish; messages stay in the outbox');
      this.schedule(delay);
    } finally {
      this.running = false;
    }
  }
}
