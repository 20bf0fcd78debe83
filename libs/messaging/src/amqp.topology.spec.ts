import { amqpTopology, DEAD_LETTER_QUEUE_DELIVERY_LIMIT } from './amqp.topology';
import { MessagingErrorCode } from './messaging.error';

describe('amqpTopology', () => {
  const t = amqpTopology('tb', ['d1', 'd2'], { deliveryLimit: 5, backoffSeconds: [0.2, 5, 5] });
  const queue = (name: string) => t.queues.find((q) => q.name === name);

  it('declares a durable topic hand-off exchange and a fanout dead-letter exchange', () => {
    expect(t.exchanges).toEqual(
      expect.arrayContaining([
        { name: 'tb.handoff', type: 'topic', options: { durable: true, autoDelete: false } },
        { name: 'tb.dead-letter', type: 'fanout', options: { durable: true, autoDelete: false } },
      ]),
    );
  });

  it('gives each district a quorum queue with an explicit delivery limit and at-least-once dead-lettering', () => {
    expect(t.districtQueues).toEqual({ d1: 'tb.district.d1', d2: 'tb.district.d2' });
    expect(queue('tb.district.d1')?.options).toEqual({
      durable: true,
      arguments: {
        'x-queue-type': 'quorum',
        'x-delivery-limit': 5,
        'x-dead-letter-exchange': 'tb.dead-letter',
        'x-dead-letter-strategy': 'at-least-once',
        'x-overflow': 'reject-publish',
      },
    });
    expect(t.bindings).toContainEqual({ queue: 'tb.district.d2', exchange: 'tb.handoff', routingKey: 'district.d2' });
  });

  it('has one TTL retry queue per distinct step that dead-letters back to the hand-off exchange', () => {
    expect(t.retrySteps.map((s) => s.queue)).toEqual(['tb.retry.0.2s', 'tb.retry.5s', 'tb.retry.5s']);
    expect(t.queues.filter((q) => q.name.startsWith('tb.retry.'))).toHaveLength(2);
    expect(queue('tb.retry.0.2s')?.options.arguments).toMatchObject({
      'x-queue-type': 'quorum',
      'x-message-ttl': 200,
      'x-dead-letter-exchange': 'tb.handoff',
      'x-dead-letter-strategy': 'at-least-once',
      'x-overflow': 'reject-publish',
    });
    // No x-dead-letter-routing-key: the message keeps district.<id> and finds its queue again.
    expect(queue('tb.retry.5s')?.options.arguments).not.toHaveProperty('x-dead-letter-routing-key');
    expect(t.bindings).toContainEqual({ queue: 'tb.retry.5s', exchange: 'tb.retry.5s', routingKey: '' });
  });

  it('binds a quorum dead-letter queue with an explicit (never dropping) delivery limit', () => {
    expect(queue('tb.dead-letter')?.options.arguments).toMatchObject({
      'x-queue-type': 'quorum',
      'x-delivery-limit': DEAD_LETTER_QUEUE_DELIVERY_LIMIT,
    });
    expect(t.bindings).toContainEqual({ queue: 'tb.dead-letter', exchange: 'tb.dead-letter', routingKey: '' });
  });

  it.each([
    ['a district id that would change topic matching', 'tb', ['d.1'], 3, [1]],
    ['no districts', 'tb', [], 3, [1]],
    ['an empty backoff', 'tb', ['d1'], 3, []],
    ['a zero delivery limit', 'tb', ['d1'], 0, [1]],
    ['a bad prefix', 'a b', ['d1'], 3, [1]],
  ])('rejects %s', (_what, prefix, ids, deliveryLimit, backoffSeconds) => {
    expect(() => amqpTopology(prefix as string, ids as string[], { deliveryLimit: deliveryLimit as number, backoffSeconds: backoffSeconds as number[] })).toThrow(
      expect.objectContaining({ code: MessagingErrorCode.INVALID_CONFIG }),
    );
  });
});
