import { BusHeader, deadLetterInfo, decideFailure, errorMessage, validateDistrictIds, validateRetryPolicy } from './delivery.policy';
import type {
  BusLogger,
  BusMessage,
  DeadLetterDelivery,
  DeadLetterHandler,
  Delivery,
  DeliveryHandler,
  MessageBus,
} from './message-bus.port';
import { MessagingError, MessagingErrorCode } from './messaging.error';

export interface InProcessBusOptions {
  districtIds: string[];
  maxAttempts: number;
  backoffSeconds: number[];
  logger?: BusLogger;
  /** Handlers running at once per district (the AMQP bus's prefetch). Default 16. */
  concurrency?: number;
  now?: () => Date;
}

interface Envelope {
  messageId: string;
  recipient: string;
  type: string;
  body: Buffer;
  headers: Record<string, unknown>;
}

interface DistrictQueue {
  ready: Envelope[];
  running: number;
  handler: DeliveryHandler | null;
}

const silentInfo: BusLogger = {
  info: () => undefined,
  warn: (o, msg) => console.warn(msg, o),
  error: (o, msg) => console.error(msg, o),
};

/**
 * The embedded single-process transport: same outcomes as the AMQP bus (ack after the handler
 * resolves, retry with backoff on timers, dead-letter after maxAttempts or on a permanent error),
 * nothing persisted. That is safe only because the outbox is the durable copy: whatever was not
 * handled before a restart is republished by the relay.
 */
export class InProcessMessageBus implements MessageBus {
  readonly kind = 'in-process' as const;

  private readonly districts = new Map<string, DistrictQueue>();
  private readonly deadLetters: DeadLetterDelivery[] = [];
  private deadLetterHandler: DeadLetterHandler | null = null;
  private deadLetterRunning = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  private state: 'new' | 'started' | 'closed' = 'new';
  private readonly log: BusLogger;
  private readonly now: () => Date;
  private readonly concurrency: number;

  constructor(private readonly opts: InProcessBusOptions) {
    validateDistrictIds(opts.districtIds);
    validateRetryPolicy(opts);
    this.log = opts.logger ?? silentInfo;
    this.now = opts.now ?? (() => new Date());
    this.concurrency = Math.max(1, opts.concurrency ?? 16);
    for (const id of opts.districtIds) this.districts.set(id, { ready: [], running: 0, handler: null });
  }

  async start(): Promise<void> {
    if (this.state === 'closed') throw new MessagingError(MessagingErrorCode.CLOSED, 'message bus is closed');
    this.state = 'started';
  }

  async publish(batch: BusMessage[]): Promise<void> {
    this.requireStarted();
    // Check the whole batch first: like a mandatory publish, an unknown district is refused, and
    // refusing before enqueueing anything keeps the batch all-or-nothing.
    const unknown = batch.filter((m) => !this.districts.has(m.recipient));
    if (unknown.length > 0) {
      throw new MessagingError(
        MessagingErrorCode.PUBLISH_UNROUTABLE,
        `${unknown.length} of ${batch.length} messages have an unknown recipient (${unknown[0].recipient})`,
        unknown.map((m) => m.messageId),
      );
    }
    for (const m of batch) {
      const headers: Record<string, unknown> = { ...m.headers, [BusHeader.RECIPIENT]: m.recipient };
      // Copy the body: the caller may reuse its buffer, a broker would have copied it too.
      this.enqueue({ messageId: m.messageId, recipient: m.recipient, type: m.type, body: Buffer.from(m.body), headers });
    }
  }

  async consume(districtIds: string[], handler: DeliveryHandler): Promise<void> {
    if (this.state === 'closed') throw new MessagingError(MessagingErrorCode.CLOSED, 'message bus is closed');
    for (const id of districtIds) {
      const q = this.districts.get(id);
      if (!q) throw new MessagingError(MessagingErrorCode.INVALID_CONFIG, `district '${id}' is not in this bus's districtIds`);
      // One consumer per district here: a second one would only compete for the same array.
      q.handler = handler;
    }
    for (const id of districtIds) this.pump(id);
  }

  async consumeDeadLetters(handler: DeadLetterHandler): Promise<void> {
    if (this.state === 'closed') throw new MessagingError(MessagingErrorCode.CLOSED, 'message bus is closed');
    this.deadLetterHandler = handler;
    this.pumpDeadLetters();
  }

  async health(): Promise<{ up: boolean; detail?: string }> {
    return this.state === 'started' ? { up: true, detail: 'in-process' } : { up: false, detail: this.state === 'closed' ? 'closed' : 'not started' };
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closed';
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await Promise.allSettled([...this.inFlight]);
  }

  /** Messages waiting or in backoff are lost on close: the outbox still has them. Exposed for tests and health pages. */
  pending(): { ready: number; deadLetters: number } {
    let ready = 0;
    for (const q of this.districts.values()) ready += q.ready.length + q.running;
    return { ready, deadLetters: this.deadLetters.length };
  }

  private requireStarted(): void {
    if (this.state === 'closed') throw new MessagingError(MessagingErrorCode.CLOSED, 'message bus is closed');
    if (this.state !== 'started') throw new MessagingError(MessagingErrorCode.NOT_STARTED, 'message bus is not started');
  }

  private enqueue(e: Envelope): void {
    const q = this.districts.get(e.recipient);
    if (!q) return;
    q.ready.push(e);
    this.pump(e.recipient);
  }

  private pump(districtId: string): void {
    const q = this.districts.get(districtId);
    if (!q || !q.handler || this.state !== 'started') return;
    while (q.running < this.concurrency && q.ready.length > 0) {
      const e = q.ready.shift() as Envelope;
      q.running++;
      const handler = q.handler;
      // setImmediate: publish() must return before any handler runs, as with a real broker.
      const task = new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => this.deliver(e, handler))
        .catch((err: unknown) => this.log.error({ error: errorMessage(err) }, 'in-process delivery crashed'))
        .finally(() => {
          q.running--;
          this.inFlight.delete(task);
          this.pump(districtId);
        });
      this.inFlight.add(task);
    }
  }

  private async deliver(e: Envelope, handler: DeliveryHandler): Promise<void> {
    const attempt = typeof e.headers[BusHeader.ATTEMPT] === 'number' ? (e.headers[BusHeader.ATTEMPT] as number) : 1;
    const delivery: Delivery = { ...e, headers: { ...e.headers }, attempt, redelivered: false };
    try {
      await handler(delivery);
      return;
    } catch (err) {
      const decision = decideFailure(err, attempt, this.opts);
      if (decision.kind === 'retry') {
        this.log.warn({ messageId: e.messageId, type: e.type, attempt, retryIn: decision.delaySeconds, error: decision.error }, 'handler failed; retrying later');
        const next: Envelope = { ...e, headers: { ...e.headers, [BusHeader.ATTEMPT]: decision.nextAttempt, [BusHeader.ERROR]: decision.error } };
        this.later(decision.delaySeconds * 1000, () => this.enqueue(next));
        return;
      }
      this.log.error({ messageId: e.messageId, type: e.type, attempt, reason: decision.reason, error: decision.error }, 'dead-lettering message');
      const headers = {
        ...e.headers,
        [BusHeader.REASON]: decision.reason,
        [BusHeader.ERROR]: decision.error,
        [BusHeader.DEAD_LETTERED_AT]: this.now().toISOString(),
      };
      this.deadLetters.push({ ...delivery, headers, ...deadLetterInfo(headers, this.now) });
      this.pumpDeadLetters();
    }
  }

  // Dead letters are handled one at a time, in order, and a failing handler is retried after the
  // backoff: like the AMQP dead-letter consumer, nothing is dropped.
  private pumpDeadLetters(attempt = 0): void {
    if (this.deadLetterRunning || !this.deadLetterHandler || this.state !== 'started' || this.deadLetters.length === 0) return;
    this.deadLetterRunning = true;
    const d = this.deadLetters[0];
    const handler = this.deadLetterHandler;
    const task = Promise.resolve()
      .then(() => handler(d))
      .then(
        () => {
          this.deadLetters.shift();
          this.deadLetterRunning = false;
          this.pumpDeadLetters();
        },
        (err: unknown) => {
          this.log.error({ messageId: d.messageId, error: errorMessage(err) }, 'dead-letter handler failed; retrying');
          const steps = this.opts.backoffSeconds;
          // Still "running" during the backoff, so a new dead letter does not jump the wait.
          this.later(steps[Math.min(attempt, steps.length - 1)] * 1000, () => {
            this.deadLetterRunning = false;
            this.pumpDeadLetters(attempt + 1);
          });
        },
      )
      .finally(() => this.inFlight.delete(task));
    this.inFlight.add(task);
  }

  private later(ms: number, fn: () => void): void {
    if (this.state !== 'started') return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }
}
