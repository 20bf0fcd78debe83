/** What the outbox relay hands to the bus: one committed outbox row. */
export interface BusMessage {
  messageId: string;
  /** District id of the recipient; it selects the per-district queue. */
  recipient: string;
  /** Message type from the catalogue, e.g. 'case.submission'; the worker dispatches on it. */
  type: string;
  /** The compact JWS exactly as committed: the bus never looks inside. */
  body: Buffer;
  headers?: Record<string, string | number>;
}

export interface Delivery {
  messageId: string;
  recipient: string;
  type: string;
  body: Buffer;
  headers: Record<string, unknown>;
  /** 1 on first delivery; +1 for every transient failure that was retried. Broker redeliveries after a crash do not count. */
  attempt: number;
  /** True when the broker delivered this copy before (e.g. a consumer died without acking). */
  redelivered: boolean;
}

export interface DeadLetterDelivery extends Delivery {
  /** Stable reason: a PermanentDeliveryError code, one of DeadLetterReason, or the broker's reason upper-cased. */
  reason: string;
  /** ISO-8601. */
  deadLetteredAt: string;
  /** The last error message, when the bus dead-lettered it after a handler error. */
  error?: string;
}

/** Resolve = success (ack). Throw PermanentDeliveryError = dead-letter now. Throw anything else = retry with backoff. */
export type HandlerOutcome = void;
export type DeliveryHandler = (delivery: Delivery) => Promise<HandlerOutcome>;
export type DeadLetterHandler = (delivery: DeadLetterDelivery) => Promise<void>;

export enum DeadLetterReason {
  /** The worker has no handler for the message type. */
  NO_HANDLER = 'NO_HANDLER',
  /** Transient failures on every one of maxAttempts attempts. */
  ATTEMPTS_EXHAUSTED = 'ATTEMPTS_EXHAUSTED',
  /** The broker's x-delivery-limit was hit (the worker kept dying mid-message). */
  DELIVERY_LIMIT = 'DELIVERY_LIMIT',
}

/** Same shape as pino's, so the apps pass their logger straight in. */
export interface BusLogger {
  info(o: object, msg: string): void;
  warn(o: object, msg: string): void;
  error(o: object, msg: string): void;
}

export interface MessageBus {
  readonly kind: 'amqp' | 'in-process';
  /** Connect and declare the topology; idempotent. Rejects (MessagingError) if the broker cannot be reached. */
  start(): Promise<void>;
  /**
   * Resolves only when every message is confirmed by the broker (persistent, mandatory). Rejects with
   * MessagingError if any is nacked, returned as unroutable, times out or the connection is lost;
   * `failedMessageIds` then names the ones to keep in the outbox (the others were confirmed).
   */
  publish(batch: BusMessage[]): Promise<void>;
  /** Consume the per-district queues; the handler's outcome decides ack / retry / dead-letter. */
  consume(districtIds: string[], handler: DeliveryHandler): Promise<void>;
  /** Consume the dead-letter queue. A failing handler is retried with backoff; the message is never dropped. */
  consumeDeadLetters(handler: DeadLetterHandler): Promise<void>;
  health(): Promise<{ up: boolean; detail?: string }>;
  /** Stop consuming, let in-flight handlers finish (bounded), then disconnect. */
  close(): Promise<void>;
}
