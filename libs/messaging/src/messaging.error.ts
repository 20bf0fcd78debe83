/**
 * Stable codes: the relay maps BROKER_UNAVAILABLE / PUBLISH_* to "keep the outbox rows and retry",
 * the worker's boot maps INVALID_CONFIG / TOPOLOGY_CONFLICT / HANDLER_COVERAGE to a failed start.
 */
export enum MessagingErrorCode {
  /** Options are unusable (bad district id, empty backoff, …): fail at construction, not at runtime. */
  INVALID_CONFIG = 'INVALID_CONFIG',
  /** No connection (never connected, dropped, reconnecting, or the broker blocked publishers). */
  BROKER_UNAVAILABLE = 'BROKER_UNAVAILABLE',
  /** The broker declared an existing queue/exchange with other arguments (406 PRECONDITION_FAILED). */
  TOPOLOGY_CONFLICT = 'TOPOLOGY_CONFLICT',
  /** The broker nacked at least one message of the batch. */
  PUBLISH_NACKED = 'PUBLISH_NACKED',
  /** A mandatory message matched no queue (unknown district) and came back as basic.return. */
  PUBLISH_UNROUTABLE = 'PUBLISH_UNROUTABLE',
  /** Confirms did not arrive in time (e.g. a memory alarm holds publishers). */
  PUBLISH_TIMEOUT = 'PUBLISH_TIMEOUT',
  /** Operation on a bus that was not started or is already closed. */
  NOT_STARTED = 'NOT_STARTED',
  CLOSED = 'CLOSED',
  /** Start-up check: a message type has no handler or more than one. */
  HANDLER_COVERAGE = 'HANDLER_COVERAGE',
}

export class MessagingError extends Error {
  constructor(
    readonly code: MessagingErrorCode,
    message: string,
    /** For publish failures: the messageIds that were NOT confirmed (the rest of the batch was). */
    readonly failedMessageIds: readonly string[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MessagingError';
  }
}

/**
 * Thrown by a handler when retrying cannot help (bad signature, schema violation, unknown case):
 * the message goes to the dead-letter queue at once, with `code` as its reason.
 */
export class PermanentDeliveryError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'PermanentDeliveryError';
  }
}
