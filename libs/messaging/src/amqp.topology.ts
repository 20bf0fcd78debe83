import { validateDistrictIds, validateRetryPolicy } from './delivery.policy';
import { MessagingError, MessagingErrorCode } from './messaging.error';

export interface ExchangeSpec {
  name: string;
  type: 'topic' | 'fanout';
  options: { durable: true; autoDelete: false };
}

export interface QueueSpec {
  name: string;
  options: { durable: true; arguments: Record<string, string | number> };
}

export interface BindingSpec {
  queue: string;
  exchange: string;
  routingKey: string;
}

export interface RetryStepSpec {
  seconds: number;
  /** Fanout exchange in front of the queue: publishing through it keeps the message's own routing key, which the expiry dead-letters back to the hand-off exchange with. */
  exchange: string;
  queue: string;
}

export interface AmqpTopology {
  handoffExchange: string;
  deadLetterExchange: string;
  deadLetterQueue: string;
  /** district id -> queue name */
  districtQueues: Record<string, string>;
  /** One per backoffSeconds entry, in order (entries may share a queue when seconds repeat). */
  retrySteps: RetryStepSpec[];
  exchanges: ExchangeSpec[];
  queues: QueueSpec[];
  bindings: BindingSpec[];
}

/**
 * A dead-letter queue has nowhere further to dead-letter to, and RabbitMQ 4 drops at its default
 * limit (20) when no DLX is set. -1 ("no limit") is read as "limit 0" by RabbitMQ 3.x, which then
 * drops on the first requeue, so a large explicit limit is the value both versions agree on; the
 * dead-letter consumer never requeues anyway (it retries in-process), so only crash loops count.
 */
export const DEAD_LETTER_QUEUE_DELIVERY_LIMIT = 1_000_000;

export function districtRoutingKey(districtId: string): string {
  return `district.${districtId}`;
}

export function retryStepName(prefix: string, seconds: number): string {
  return `${prefix}.retry.${seconds}s`;
}

const PREFIX = /^[A-Za-z0-9_.-]{1,100}$/;

/** The whole broker topology as data: declared by AmqpMessageBus, deleted by the integration tests. */
export function amqpTopology(
  prefix: string,
  districtIds: string[],
  opts: { deliveryLimit: number; backoffSeconds: number[] },
): AmqpTopology {
  if (!PREFIX.test(prefix)) throw new MessagingError(MessagingErrorCode.INVALID_CONFIG, `prefix '${prefix}' is not a valid name prefix`);
  validateDistrictIds(districtIds);
  validateRetryPolicy({ maxAttempts: 1, backoffSeconds: opts.backoffSeconds });
  if (!Number.isInteger(opts.deliveryLimit) || opts.deliveryLimit < 1) {
    throw new MessagingError(MessagingErrorCode.INVALID_CONFIG, 'deliveryLimit must be an integer >= 1');
  }

  const handoffExchange = `${prefix}.handoff`;
  const deadLetterExchange = `${prefix}.dead-letter`;
  const deadLetterQueue = `${prefix}.dead-letter`;
  const durable = { durable: true, autoDelete: false } as const;

  // at-least-once dead-lettering only works with reject-publish overflow; it keeps a message in the
  // source queue until the dead-letter target has confirmed it, instead of fire-and-forget.
  const quorum = (deliveryLimit: number): Record<string, string | number> => ({
    'x-queue-type': 'quorum',
    'x-delivery-limit': deliveryLimit,
    'x-overflow': 'reject-publish',
  });

  const exchanges: ExchangeSpec[] = [
    { name: handoffExchange, type: 'topic', options: durable },
    { name: deadLetterExchange, type: 'fanout', options: durable },
  ];
  const queues: QueueSpec[] = [
    { name: deadLetterQueue, options: { durable: true, arguments: quorum(DEAD_LETTER_QUEUE_DELIVERY_LIMIT) } },
  ];
  const bindings: BindingSpec[] = [{ queue: deadLetterQueue, exchange: deadLetterExchange, routingKey: '' }];

  const districtQueues: Record<string, string> = {};
  for (const id of [...new Set(districtIds)]) {
    const queue = `${prefix}.district.${id}`;
    districtQueues[id] = queue;
    queues.push({
      name: queue,
      options: {
        durable: true,
        arguments: {
          ...quorum(opts.deliveryLimit),
          'x-dead-letter-exchange': deadLetterExchange,
          'x-dead-letter-strategy': 'at-least-once',
        },
      },
    });
    bindings.push({ queue, exchange: handoffExchange, routingKey: districtRoutingKey(id) });
  }

  const retrySteps: RetryStepSpec[] = [];
  const declared = new Set<string>();
  for (const seconds of opts.backoffSeconds) {
    const name = retryStepName(prefix, seconds);
    retrySteps.push({ seconds, exchange: name, queue: name });
    if (declared.has(name)) continue;
    declared.add(name);
    exchanges.push({ name, type: 'fanout', options: durable });
    queues.push({
      name,
      options: {
        durable: true,
        arguments: {
          ...quorum(opts.deliveryLimit),
          // One TTL per queue: quorum queues expire only at the head, so mixed TTLs would wait on each other.
          'x-message-ttl': Math.round(seconds * 1000),
          'x-dead-letter-exchange': handoffExchange,
          'x-dead-letter-strategy': 'at-least-once',
        },
      },
    });
    bindings.push({ queue: name, exchange: name, routingKey: '' });
  }

  return { handoffExchange, deadLetterExchange, deadLetterQueue, districtQueues, retrySteps, exchanges, queues, bindings };
}
