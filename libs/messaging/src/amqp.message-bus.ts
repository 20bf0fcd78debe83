import * as amqp from 'amqplib';
import type { Channel, ChannelModel, ConfirmChannel, ConsumeMessage, Options } from 'amqplib';
import { amqpTopology, type AmqpTopology, districtRoutingKey } from './amqp.topology';
import {
  attemptOf,
  BROKER_DEATH_HEADERS,
  BusHeader,
  deadLetterInfo,
  decideFailure,
  errorMessage,
  validateDistrictIds,
  validateRetryPolicy,
} from './delivery.policy';
import type {
  BusLogger,
  BusMessage,
  DeadLetterHandler,
  Delivery,
  DeliveryHandler,
  MessageBus,
} from './message-bus.port';
import { MessagingError, MessagingErrorCode } from './messaging.error';

export interface AmqpBusOptions {
  url: string;
  /** Prefix of every exchange and queue name; default 'tongban'. Tests use a unique one each. */
  prefix?: string;
  districtIds: string[];
  /** Unacked deliveries per consumer (per district queue): bounds handler concurrency and memory. */
  prefetch: number;
  /** Broker-side x-delivery-limit: how often a message may come back unacked (worker crashes) before it is dead-lettered. */
  deliveryLimit: number;
  /** Handler attempts before a transiently failing message is dead-lettered. */
  maxAttempts: number;
  /** Delay before attempt n+1 is backoffSeconds[min(n, length) - 1]; one retry queue per entry. */
  backoffSeconds: number[];
  logger?: BusLogger;
  /** Default 15. Dead peers are noticed after about two missed heartbeats. */
  heartbeatSeconds?: number;
  /** A publish() whose confirms have not all arrived by then rejects with PUBLISH_TIMEOUT. Default 30 000. */
  publishTimeoutMs?: number;
  /** close() waits this long for running handlers before dropping the connection (their messages are then redelivered). Default 10 000. */
  drainTimeoutMs?: number;
  /** Reconnect backoff after a lost connection. Defaults: 200 ms doubling to 15 s, with ±20 % jitter. */
  reconnect?: { initialDelayMs?: number; maxDelayMs?: number };
  /** Connection attempts start() makes before giving up. Default 1: a worker that cannot reach the broker at boot should fail visibly. */
  startAttempts?: number;
  /** Shown in the RabbitMQ management UI and `rabbitmqctl list_connections`. */
  connectionName?: string;
  /** Injected for tests; default () => new Date(). */
  now?: () => Date;
}

/** Everything that belongs to one connection: dropped as a whole when any part of it fails. */
interface Live {
  conn: ChannelModel;
  pub: ConfirmChannel;
  sub: Channel;
  /** messageId -> number of basic.return frames not yet matched to their confirm. */
  returned: Map<string, number>;
  consumerTags: string[];
  lost: boolean;
}

type Subscription =
  | { kind: 'district'; queue: string; handler: DeliveryHandler }
  | { kind: 'dead-letter'; queue: string; handler: DeadLetterHandler };

interface Sent {
  confirmed: Promise<void>;
  /** false when the socket buffer is full: wait for 'drain' before writing more. */
  flushed: boolean;
}

const CONTENT_TYPE = 'application/jose';
const DISTRICT_ID = /^[A-Za-z0-9_-]{1,64}$/;

const consoleLogger: BusLogger = {
  info: () => undefined,
  warn: (o, msg) => console.warn(msg, o),
  error: (o, msg) => console.error(msg, o),
};

/**
 * RabbitMQ implementation: topic exchange -> one quorum queue per district, retry queues with TTL
 * that dead-letter back, a dead-letter exchange and queue. Publishing uses one confirm channel with
 * many messages in flight; consuming uses a second channel with a bounded prefetch.
 */
export class AmqpMessageBus implements MessageBus {
  readonly kind = 'amqp' as const;

  private readonly topology: AmqpTopology;
  private readonly log: BusLogger;
  private readonly url: string;
  private readonly now: () => Date;
  private state: 'new' | 'starting' | 'started' | 'closed' = 'new';
  private live: Live | null = null;
  private readonly subscriptions: Subscription[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly sleepers = new Set<{ timer: NodeJS.Timeout; wake: () => void }>();
  private reconnectTimer: NodeJS.Timeout | null = null;
  private reconnectAttempt = 0;
  private blockedReason: string | null = null;
  private lastError: string | undefined;

  constructor(private readonly opts: AmqpBusOptions) {
    validateDistrictIds(opts.districtIds);
    validateRetryPolicy(opts);
    if (!Number.isInteger(opts.prefetch) || opts.prefetch < 1) {
      throw new MessagingError(MessagingErrorCode.INVALID_CONFIG, 'prefetch must be an integer >= 1');
    }
    this.topology = amqpTopology(opts.prefix ?? 'tongban', opts.districtIds, opts);
    this.log = opts.logger ?? consoleLogger;
    this.now = opts.now ?? (() => new Date());
    this.url = withHeartbeat(opts.url, opts.heartbeatSeconds ?? 15);
  }

  private starting?: Promise<void>;

  /** Idempotent: the gateway's relay and the worker's transport share one bus in the embedded process. */
  start(): Promise<void> {
    if (this.state === 'closed') return Promise.reject(new MessagingError(MessagingErrorCode.CLOSED, 'start() called on a closed bus'));
    if (this.state === 'started' && this.starting) return this.starting;
    if (this.state === 'starting' && this.starting) return this.starting;
    this.starting = this.startOnce().catch((error) => {
      this.starting = undefined;
      throw error;
    });
    return this.starting;
  }

  private async startOnce(): Promise<void> {
    this.state = 'starting';
    const attempts = Math.max(1, this.opts.startAttempts ?? 1);
    for (let attempt = 1; ; attempt++) {
      try {
        await this.open();
        this.state = 'started';
        this.log.info({ prefix: this.topology.handoffExchange }, 'amqp bus started');
        return;
      } catch (err) {
        const mapped = toMessagingError(err, 'cannot connect to RabbitMQ');
        if (mapped.code === MessagingErrorCode.TOPOLOGY_CONFLICT || attempt >= attempts) {
          this.state = 'new';
          throw mapped;
        }
        this.log.warn({ attempt, error: mapped.message }, 'amqp connect failed; retrying');
        await this.sleep(this.reconnectDelay(attempt - 1));
      }
    }
  }

  async publish(batch: BusMessage[]): Promise<void> {
    if (batch.length === 0) return;
    const live = this.requireLive();
    const results: Array<{ id: string; error?: MessagingError } | undefined> = new Array(batch.length);
    const confirms: Promise<void>[] = [];

    for (let i = 0; i < batch.length; i++) {
      const m = batch[i];
      if (!DISTRICT_ID.test(m.recipient)) {
        results[i] = { id: m.messageId, error: new MessagingError(MessagingErrorCode.PUBLISH_UNROUTABLE, `recipient '${m.recipient}' is not a district id`) };
        continue;
      }
      const sent = this.send(live, this.topology.handoffExchange, districtRoutingKey(m.recipient), m.body, {
        persistent: true,
        messageId: m.messageId,
        type: m.type,
        contentType: CONTENT_TYPE,
        timestamp: Math.floor(this.now().getTime() / 1000),
        headers: { ...m.headers, [BusHeader.RECIPIENT]: m.recipient },
      });
      confirms.push(
        sent.confirmed.then(
          () => void (results[i] = { id: m.messageId }),
          (error: unknown) => void (results[i] = { id: m.messageId, error: toMessagingError(error, 'publish failed') }),
        ),
      );
      if (!sent.flushed) await drained(live.pub);
    }

    const timeoutMs = this.opts.publishTimeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(confirms),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
    ]);
    clearTimeout(timer);

    const failed: Array<{ id: string; code: MessagingErrorCode; message: string }> = [];
    batch.forEach((m, i) => {
      const r = results[i];
      if (!r) failed.push({ id: m.messageId, code: MessagingErrorCode.PUBLISH_TIMEOUT, message: `no confirm within ${timeoutMs} ms` });
      else if (r.error) failed.push({ id: r.id, code: r.error.code, message: r.error.message });
    });
    if (failed.length === 0) return;
    // One code for the batch, the most actionable first: an outage means "retry everything later".
    const order = [
      MessagingErrorCode.BROKER_UNAVAILABLE,
      MessagingErrorCode.PUBLISH_TIMEOUT,
      MessagingErrorCode.PUBLISH_NACKED,
      MessagingErrorCode.PUBLISH_UNROUTABLE,
    ];
    const code = order.find((c) => failed.some((f) => f.code === c)) ?? failed[0].code;
    throw new MessagingError(
      code,
      `${failed.length} of ${batch.length} messages not confirmed (${failed[0].id}: ${failed[0].message})`,
      failed.map((f) => f.id),
    );
  }

  async consume(districtIds: string[], handler: DeliveryHandler): Promise<void> {
    const subs: Subscription[] = districtIds.map((id) => {
      const queue = this.topology.districtQueues[id];
      if (!queue) throw new MessagingError(MessagingErrorCode.INVALID_CONFIG, `district '${id}' is not in this bus's districtIds`);
      return { kind: 'district', queue, handler };
    });
    await this.addSubscriptions(subs);
  }

  async consumeDeadLetters(handler: DeadLetterHandler): Promise<void> {
    await this.addSubscriptions([{ kind: 'dead-letter', queue: this.topology.deadLetterQueue, handler }]);
  }

  async health(): Promise<{ up: boolean; detail?: string }> {
    if (this.state !== 'started') return { up: false, detail: this.state === 'closed' ? 'closed' : 'not started' };
    if (!this.live) return { up: false, detail: `reconnecting${this.lastError ? `: ${this.lastError}` : ''}` };
    if (this.blockedReason) return { up: false, detail: `broker blocked publishers: ${this.blockedReason}` };
    return { up: true, detail: 'connected' };
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closed';
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    for (const s of this.sleepers) {
      clearTimeout(s.timer);
      s.wake();
    }
    const live = this.live;
    if (live) {
      // Cancel first so no new deliveries start while the running ones finish and ack.
      await Promise.allSettled(live.consumerTags.map((tag) => live.sub.cancel(tag)));
    }
    if (this.inFlight.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...this.inFlight]),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, this.opts.drainTimeoutMs ?? 10_000))),
      ]);
      clearTimeout(timer);
      if (this.inFlight.size > 0) this.log.warn({ running: this.inFlight.size }, 'closing with handlers still running; their messages will be redelivered');
    }
    this.live = null;
    if (live) {
      live.lost = true;
      await live.conn.close().catch(() => undefined);
    }
  }

  // ---- connection lifecycle ----------------------------------------------------------------

  private async open(): Promise<void> {
    const conn = await amqp.connect(this.url, {
      noDelay: true, // amqplib leaves Nagle on: without this each confirm round trip waits ~40 ms
      clientProperties: { connection_name: this.opts.connectionName ?? `${this.opts.prefix ?? 'tongban'}.bus` },
    });
    const live: Live = { conn, pub: undefined as unknown as ConfirmChannel, sub: undefined as unknown as Channel, returned: new Map(), consumerTags: [], lost: false };
    conn.on('error', (err: Error) => this.log.warn({ error: err.message }, 'amqp connection error'));
    conn.on('close', (err?: Error) => {
      live.lost = true;
      this.lose(live, err ? err.message : 'connection closed');
    });
    conn.on('blocked', (reason: string) => {
      this.blockedReason = reason;
      this.log.warn({ reason }, 'broker blocked publishers');
    });
    conn.on('unblocked', () => {
      this.blockedReason = null;
      this.log.info({}, 'broker unblocked publishers');
    });
    try {
      live.pub = await conn.createConfirmChannel();
      live.pub.on('return', (msg: ConsumeMessage) => {
        const id = msg.properties.messageId as string | undefined;
        if (id) live.returned.set(id, (live.returned.get(id) ?? 0) + 1);
      });
      await declare(live.pub, this.topology);
      live.sub = await conn.createChannel();
      await live.sub.prefetch(this.opts.prefetch);
      for (const ch of [live.pub, live.sub]) {
        ch.on('error', (err: Error) => this.log.warn({ error: err.message }, 'amqp channel error'));
        // A channel can die alone (e.g. ack of an unknown tag); recycling the whole connection is the
        // simplest way to get both channels, the topology and every consumer back in a known state.
        ch.on('close', () => this.lose(live, 'channel closed'));
      }
      if (live.lost) throw new Error('connection lost during setup');
      this.live = live;
      for (const s of this.subscriptions) await this.subscribe(live, s);
    } catch (err) {
      if (this.live === live) this.live = null; // before close(): our 'close' listener must not schedule a reconnect for a failed open
      live.lost = true;
      await conn.close().catch(() => undefined);
      throw err;
    }
  }

  private lose(live: Live, why: string): void {
    live.lost = true;
    if (this.live !== live) return;
    this.live = null;
    this.lastError = why;
    if (this.state !== 'started') return;
    this.log.warn({ why }, 'amqp connection lost; reconnecting');
    live.conn.close().catch(() => undefined);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.reconnectTimer || this.state === 'closed') return;
    const delay = this.reconnectDelay(this.reconnectAttempt++);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (this.state === 'closed') return;
      this.open().then(
        () => {
          this.log.info({ attempts: this.reconnectAttempt }, 'amqp reconnected');
          this.reconnectAttempt = 0;
          this.lastError = undefined;
        },
        (err: unknown) => {
          this.lastError = errorMessage(err);
          this.log.warn({ error: this.lastError, attempt: this.reconnectAttempt }, 'amqp reconnect failed');
          this.scheduleReconnect();
        },
      );
    }, delay);
  }

  private reconnectDelay(attempt: number): number {
    const initial = this.opts.reconnect?.initialDelayMs ?? 200;
    const max = this.opts.reconnect?.maxDelayMs ?? 15_000;
    const base = Math.min(max, initial * 2 ** attempt);
    return Math.round(base * (0.8 + Math.random() * 0.4));
  }

  private requireLive(): Live {
    if (this.state === 'closed') throw new MessagingError(MessagingErrorCode.CLOSED, 'message bus is closed');
    if (this.state !== 'started') throw new MessagingError(MessagingErrorCode.NOT_STARTED, 'message bus is not started');
    if (!this.live) throw new MessagingError(MessagingErrorCode.BROKER_UNAVAILABLE, `RabbitMQ unavailable (${this.lastError ?? 'reconnecting'})`);
    if (this.blockedReason) throw new MessagingError(MessagingErrorCode.BROKER_UNAVAILABLE, `RabbitMQ blocked publishers: ${this.blockedReason}`);
    return this.live;
  }

  // ---- publishing ---------------------------------------------------------------------------

  private send(live: Live, exchange: string, routingKey: string, body: Buffer, options: Options.Publish): Sent {
    let flushed = true;
    const confirmed = new Promise<void>((resolve, reject) => {
      const id = options.messageId;
      try {
        flushed = live.pub.publish(exchange, routingKey, body, { ...options, mandatory: true }, (err: unknown) => {
          if (err) {
            const closed = live.lost || errorMessage(err) === 'channel closed';
            reject(
              new MessagingError(
                closed ? MessagingErrorCode.BROKER_UNAVAILABLE : MessagingErrorCode.PUBLISH_NACKED,
                closed ? 'connection lost before the broker confirmed' : 'broker nacked the message',
              ),
            );
            return;
          }
          // basic.return precedes the confirm of the same message, so the count is already there.
          const returned = id ? (live.returned.get(id) ?? 0) : 0;
          if (id && returned > 0) {
            if (returned === 1) live.returned.delete(id);
            else live.returned.set(id, returned - 1);
            reject(new MessagingError(MessagingErrorCode.PUBLISH_UNROUTABLE, `no queue bound for routing key '${routingKey}'`));
            return;
          }
          resolve();
        });
      } catch (err) {
        // amqplib throws synchronously once the channel is closed.
        reject(new MessagingError(MessagingErrorCode.BROKER_UNAVAILABLE, `cannot publish: ${errorMessage(err)}`, [], { cause: err }));
      }
    });
    return { confirmed, flushed };
  }

  // ---- consuming ----------------------------------------------------------------------------

  private async addSubscriptions(subs: Subscription[]): Promise<void> {
    if (this.state === 'closed') throw new MessagingError(MessagingErrorCode.CLOSED, 'message bus is closed');
    this.subscriptions.push(...subs);
    // Not connected (not started yet, or reconnecting): open() subscribes everything registered.
    const live = this.live;
    if (!live) return;
    for (const s of subs) await this.subscribe(live, s);
  }

  private async subscribe(live: Live, s: Subscription): Promise<void> {
    const { consumerTag } = await live.sub.consume(s.queue, (msg) => this.onMessage(live, s, msg), { noAck: false });
    live.consumerTags.push(consumerTag);
  }

  private onMessage(live: Live, s: Subscription, msg: ConsumeMessage | null): void {
    if (msg === null) {
      // The broker cancelled the consumer (queue deleted or failed over): re-declare and re-subscribe.
      this.log.error({ queue: s.queue }, 'consumer cancelled by the broker; recycling the connection');
      this.lose(live, `consumer of ${s.queue} cancelled by broker`);
      return;
    }
    const task = s.kind === 'district' ? this.handleDelivery(live, s.handler, msg) : this.handleDeadLetter(live, s.handler, msg);
    const tracked = task.catch((err: unknown) => this.log.error({ error: errorMessage(err) }, 'message handling crashed'));
    this.inFlight.add(tracked);
    void tracked.finally(() => this.inFlight.delete(tracked));
  }

  private async handleDelivery(live: Live, handler: DeliveryHandler, msg: ConsumeMessage): Promise<void> {
    const delivery = toDelivery(msg);
    let failure: unknown;
    let failed = false;
    try {
      await handler(delivery);
    } catch (err) {
      failed = true;
      failure = err;
    }
    if (!failed) return this.settle(live, msg, 'ack');

    const decision = decideFailure(failure, delivery.attempt, this.opts);
    const routingKey = msg.fields.routingKey;
    try {
      if (decision.kind === 'retry') {
        const step = this.topology.retrySteps[decision.step];
        this.log.warn(
          { messageId: delivery.messageId, type: delivery.type, attempt: delivery.attempt, retryIn: step.seconds, error: decision.error },
          'handler failed; retrying later',
        );
        await this.send(live, step.exchange, routingKey, msg.content, copyOf(msg, {
          [BusHeader.ATTEMPT]: decision.nextAttempt,
          [BusHeader.ERROR]: decision.error,
        })).confirmed;
      } else {
        this.log.error(
          { messageId: delivery.messageId, type: delivery.type, attempt: delivery.attempt, reason: decision.reason, error: decision.error },
          'dead-lettering message',
        );
        await this.send(live, this.topology.deadLetterExchange, routingKey, msg.content, copyOf(msg, {
          [BusHeader.REASON]: decision.reason,
          [BusHeader.ERROR]: decision.error,
          [BusHeader.DEAD_LETTERED_AT]: this.now().toISOString(),
        })).confirmed;
      }
    } catch (err) {
      // The copy is not safely parked, so the original must stay: hand it back to the broker. Its
      // x-delivery-limit bounds how often this can happen before the broker dead-letters it itself.
      this.log.warn({ messageId: delivery.messageId, error: errorMessage(err) }, 'could not park message for retry/dead-letter; requeueing');
      return this.settle(live, msg, 'requeue');
    }
    // Only after the copy is confirmed: a crash in between yields a duplicate, never a loss.
    this.settle(live, msg, 'ack');
  }

  private async handleDeadLetter(live: Live, handler: DeadLetterHandler, msg: ConsumeMessage): Promise<void> {
    const delivery = { ...toDelivery(msg), ...deadLetterInfo(msg.properties.headers ?? {}, this.now) };
    const steps = this.opts.backoffSeconds;
    // Nowhere further to send it: keep the message (unacked, it holds one prefetch slot) and try again.
    for (let i = 0; ; i++) {
      try {
        await handler(delivery);
        return this.settle(live, msg, 'ack');
      } catch (err) {
        this.log.error({ messageId: delivery.messageId, error: errorMessage(err) }, 'dead-letter handler failed; retrying');
        if (this.state === 'closed' || this.live !== live) return; // unacked: the broker redelivers it
        await this.sleep(steps[Math.min(i, steps.length - 1)] * 1000);
      }
    }
  }

  private settle(live: Live, msg: ConsumeMessage, how: 'ack' | 'requeue'): void {
    // A delivery tag only means something on its own channel; after a reconnect the broker has
    // already put the message back, and acking on the new channel would close it (406).
    if (live.lost) return;
    try {
      if (how === 'ack') live.sub.ack(msg);
      else live.sub.nack(msg, false, true);
    } catch (err) {
      this.log.warn({ error: errorMessage(err) }, 'could not settle delivery; the broker will redeliver it');
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const sleeper = {
        timer: setTimeout(() => {
          this.sleepers.delete(sleeper);
          resolve();
        }, ms),
        wake: resolve,
      };
      this.sleepers.add(sleeper);
    });
  }
}

async function declare(ch: Channel, t: AmqpTopology): Promise<void> {
  for (const e of t.exchanges) await ch.assertExchange(e.name, e.type, e.options);
  for (const q of t.queues) await ch.assertQueue(q.name, q.options);
  for (const b of t.bindings) await ch.bindQueue(b.queue, b.exchange, b.routingKey);
}

function toDelivery(msg: ConsumeMessage): Delivery {
  const headers: Record<string, unknown> = { ...(msg.properties.headers ?? {}) };
  const recipient = headers[BusHeader.RECIPIENT];
  return {
    messageId: String(msg.properties.messageId ?? ''),
    recipient: typeof recipient === 'string' ? recipient : msg.fields.routingKey.replace(/^district\./, ''),
    type: String(msg.properties.type ?? ''),
    body: msg.content,
    headers,
    attempt: attemptOf(headers),
    redelivered: msg.fields.redelivered,
  };
}

function copyOf(msg: ConsumeMessage, extra: Record<string, string | number>): Options.Publish {
  const headers: Record<string, unknown> = { ...(msg.properties.headers ?? {}) };
  for (const h of BROKER_DEATH_HEADERS) delete headers[h];
  return {
    persistent: true,
    messageId: msg.properties.messageId as string | undefined,
    type: msg.properties.type as string | undefined,
    contentType: (msg.properties.contentType as string | undefined) ?? CONTENT_TYPE,
    timestamp: msg.properties.timestamp as number | undefined,
    headers: { ...headers, ...extra },
  };
}

function drained(ch: Channel): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      ch.removeListener('drain', done);
      ch.removeListener('close', done);
      resolve();
    };
    ch.once('drain', done);
    ch.once('close', done);
  });
}

function withHeartbeat(url: string, seconds: number): string {
  try {
    const u = new URL(url);
    if (!u.searchParams.has('heartbeat')) u.searchParams.set('heartbeat', String(seconds));
    return u.toString();
  } catch {
    throw new MessagingError(MessagingErrorCode.INVALID_CONFIG, 'url is not a valid amqp:// URL');
  }
}

function toMessagingError(err: unknown, context: string): MessagingError {
  if (err instanceof MessagingError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 406) {
    return new MessagingError(MessagingErrorCode.TOPOLOGY_CONFLICT, `${context}: ${errorMessage(err)}`, [], { cause: err });
  }
  return new MessagingError(MessagingErrorCode.BROKER_UNAVAILABLE, `${context}: ${errorMessage(err)}`, [], { cause: err });
}
