import * as amqp from 'amqplib';
import {
  AmqpMessageBus,
  type AmqpBusOptions,
  type BusMessage,
  type DeadLetterDelivery,
  type Delivery,
  MessagingErrorCode,
  PermanentDeliveryError,
} from '@tongban/messaging';
import { CuttableProxy, deleteTopology, RABBIT_URL, recordingLogger, sleep, uniquePrefix, until } from './rabbit.fixture';

// Against the real broker. If RabbitMQ is down, start() rejects in each test and the suite fails.
describe('AmqpMessageBus against RabbitMQ', () => {
  const districts = ['d1', 'd2', 'd3'];
  const created: Array<{ prefix: string; opts: { deliveryLimit: number; backoffSeconds: number[] } }> = [];
  const buses: AmqpMessageBus[] = [];

  function options(name: string, overrides: Partial<AmqpBusOptions> = {}): AmqpBusOptions {
    const opts: AmqpBusOptions = {
      url: RABBIT_URL,
      prefix: uniquePrefix(name),
      districtIds: districts,
      prefetch: 50,
      deliveryLimit: 5,
      maxAttempts: 3,
      backoffSeconds: [0.2, 0.5],
      logger: recordingLogger(),
      drainTimeoutMs: 2000,
      ...overrides,
    };
    created.push({ prefix: opts.prefix as string, opts });
    return opts;
  }

  async function started(opts: AmqpBusOptions): Promise<AmqpMessageBus> {
    const bus = new AmqpMessageBus(opts);
    buses.push(bus);
    await bus.start();
    return bus;
  }

  const message = (id: string, recipient = 'd1', type = 'case.submission'): BusMessage => ({
    messageId: id,
    recipient,
    type,
    body: Buffer.from(`eyJhbGciOiJFUzI1NiJ9.${id}.sig`),
    headers: { 'x-test': 'yes', sequence: 1 },
  });

  afterEach(async () => {
    await Promise.all(buses.splice(0).map((b) => b.close()));
    for (const c of created.splice(0)) await deleteTopology(c.prefix, districts, c.opts);
  });

  it('publishes 1,000 confirmed messages to 3 districts and consumes each exactly once', async () => {
    const opts = options('volume');
    const bus = await started(opts);
    const counts = new Map<string, number>();
    const byDistrict = new Map<string, number>();
    let sample: Delivery | undefined;
    await bus.consume(districts, async (d) => {
      counts.set(d.messageId, (counts.get(d.messageId) ?? 0) + 1);
      byDistrict.set(d.recipient, (byDistrict.get(d.recipient) ?? 0) + 1);
      sample ??= d;
    });
    const batch = Array.from({ length: 1000 }, (_, i) => message(`m-${i}`, districts[i % 3]));
    await bus.publish(batch);
    await until(() => counts.size === 1000, 30_000, '1000 distinct deliveries');
    await sleep(500); // long enough for a stray duplicate to show up
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(Object.fromEntries(byDistrict)).toEqual({ d1: 334, d2: 333, d3: 333 });
    expect(sample).toMatchObject({ type: 'case.submission', attempt: 1, redelivered: false });
    expect(sample?.headers).toMatchObject({ 'x-test': 'yes', sequence: 1 });
    expect(sample?.body.toString()).toMatch(/^eyJhbGciOiJFUzI1NiJ9\.m-\d+\.sig$/);
    expect(await bus.health()).toEqual({ up: true, detail: 'connected' });
  });

  it('stores messages persistently with the agreed properties', async () => {
    const opts = options('props');
    const bus = await started(opts);
    await bus.publish([message('p-1', 'd2')]);
    const conn = await amqp.connect(RABBIT_URL);
    try {
      const ch = await conn.createChannel();
      const got = await ch.get(`${opts.prefix}.district.d2`, { noAck: true });
      expect(got).not.toBe(false);
      if (got === false) return;
      expect(got.properties).toMatchObject({ deliveryMode: 2, messageId: 'p-1', type: 'case.submission', contentType: 'application/jose' });
      expect(typeof got.properties.timestamp).toBe('number');
      expect(got.fields.routingKey).toBe('district.d2');
    } finally {
      await conn.close();
    }
  });

  it('retries a transient failure with backoff and succeeds on attempt 3', async () => {
    const bus = await started(options('retry'));
    const attempts: Array<{ attempt: number; at: number }> = [];
    const dead: DeadLetterDelivery[] = [];
    await bus.consumeDeadLetters(async (d) => void dead.push(d));
    await bus.consume(['d1'], async (d) => {
      attempts.push({ attempt: d.attempt, at: Date.now() });
      if (d.attempt < 3) throw new Error('inbox table locked');
    });
    await bus.publish([message('r-1')]);
    await until(() => attempts.length === 3, 10_000, 'three attempts');
    await sleep(800);
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
    expect(attempts[1].at - attempts[0].at).toBeGreaterThanOrEqual(180);
    expect(attempts[2].at - attempts[1].at).toBeGreaterThanOrEqual(450);
    expect(dead).toHaveLength(0);
  });

  it('dead-letters a PermanentDeliveryError at once, with its code as the reason', async () => {
    const bus = await started(options('permanent'));
    const dead: DeadLetterDelivery[] = [];
    let calls = 0;
    await bus.consumeDeadLetters(async (d) => void dead.push(d));
    await bus.consume(['d2'], async () => {
      calls++;
      throw new PermanentDeliveryError('BAD_SIGNATURE', 'JWS signature does not verify with the sender key');
    });
    await bus.publish([message('perm-1', 'd2')]);
    await until(() => dead.length === 1, 10_000, 'dead letter');
    expect(calls).toBe(1);
    expect(dead[0]).toMatchObject({
      messageId: 'perm-1',
      recipient: 'd2',
      type: 'case.submission',
      reason: 'BAD_SIGNATURE',
      error: 'JWS signature does not verify with the sender key',
      attempt: 1,
    });
    expect(Math.abs(Date.parse(dead[0].deadLetteredAt) - Date.now())).toBeLessThan(10_000);
    expect(dead[0].body.toString()).toBe('eyJhbGciOiJFUzI1NiJ9.perm-1.sig');
  });

  it('dead-letters after maxAttempts transient failures', async () => {
    const bus = await started(options('exhausted', { maxAttempts: 3, backoffSeconds: [0.1] }));
    const dead: DeadLetterDelivery[] = [];
    const attempts: number[] = [];
    await bus.consumeDeadLetters(async (d) => void dead.push(d));
    await bus.consume(['d3'], async (d) => {
      attempts.push(d.attempt);
      throw new Error('partner endpoint timed out');
    });
    await bus.publish([message('ex-1', 'd3')]);
    await until(() => dead.length === 1, 10_000, 'dead letter');
    await sleep(300);
    expect(attempts).toEqual([1, 2, 3]);
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ messageId: 'ex-1', reason: 'ATTEMPTS_EXHAUSTED', error: 'partner endpoint timed out', attempt: 3 });
  });

  it('retries a failing dead-letter handler rather than dropping the dead letter', async () => {
    const bus = await started(options('dlq-retry', { backoffSeconds: [0.1] }));
    let tries = 0;
    await bus.consumeDeadLetters(async () => {
      if (++tries < 3) throw new Error('dead-letter table unavailable');
    });
    await bus.consume(['d1'], async () => {
      throw new PermanentDeliveryError('SCHEMA_VIOLATION', 'missing caseNumber');
    });
    await bus.publish([message('dl-1')]);
    await until(() => tries === 3, 10_000, 'third dead-letter handler try');
  });

  it('redelivers unacked messages after the consumer connection dies', async () => {
    const opts = options('crash', { drainTimeoutMs: 50 });
    const crashed = await started(opts);
    let firstSeen: Delivery | undefined;
    await crashed.consume(['d1'], (d) => {
      firstSeen = d;
      return new Promise<void>(() => undefined); // hangs: the worker "crashes" before acking
    });
    await crashed.publish([message('c-1')]);
    await until(() => firstSeen !== undefined, 10_000, 'first delivery');
    await crashed.close(); // drain times out: the connection closes with the message unacked

    const survivor = await started({ ...opts, logger: recordingLogger() });
    const again: Delivery[] = [];
    await survivor.consume(['d1'], async (d) => void again.push(d));
    await until(() => again.length === 1, 10_000, 'redelivery');
    expect(firstSeen).toMatchObject({ messageId: 'c-1', redelivered: false, attempt: 1 });
    expect(again[0]).toMatchObject({ messageId: 'c-1', redelivered: true, attempt: 1 });
  });

  it('broker dead-letters at x-delivery-limit and the reason reaches the dead-letter consumer', async () => {
    const opts = options('limit', { deliveryLimit: 2 });
    const bus = await started(opts);
    const dead: DeadLetterDelivery[] = [];
    await bus.consumeDeadLetters(async (d) => void dead.push(d));
    await bus.publish([message('lim-1')]);
    // A worker that keeps giving the message back (what a crash loop looks like to the queue).
    const conn = await amqp.connect(RABBIT_URL);
    let returned = 0;
    try {
      const ch = await conn.createChannel();
      await ch.consume(`${opts.prefix}.district.d1`, (m) => {
        if (!m) return;
        returned++;
        ch.nack(m, false, true);
      });
      await until(() => dead.length === 1, 10_000, 'broker dead letter');
    } finally {
      await conn.close();
    }
    expect(returned).toBe(3); // the limit allows 2 returns; the third one exceeds it
    expect(dead[0]).toMatchObject({ messageId: 'lim-1', reason: 'DELIVERY_LIMIT', recipient: 'd1' });
    expect(Number.isNaN(Date.parse(dead[0].deadLetteredAt))).toBe(false);
  });

  it('rejects an unroutable message (no queue for the district) and confirms the rest of the batch', async () => {
    const bus = await started(options('unroutable'));
    const seen: string[] = [];
    await bus.consume(['d1'], async (d) => void seen.push(d.messageId));
    await expect(bus.publish([message('ok-1'), message('lost-1', 'nowhere'), message('ok-2')])).rejects.toMatchObject({
      code: MessagingErrorCode.PUBLISH_UNROUTABLE,
      failedMessageIds: ['lost-1'],
    });
    await until(() => seen.length === 2, 10_000, 'the routable ones');
    expect(seen.sort()).toEqual(['ok-1', 'ok-2']);
  });

  it('fails start() when the broker is unreachable', async () => {
    const bus = new AmqpMessageBus({ ...options('unreachable'), url: 'amqp://guest:guest@127.0.0.1:1' });
    await expect(bus.start()).rejects.toMatchObject({ code: MessagingErrorCode.BROKER_UNAVAILABLE });
    created.pop(); // nothing was declared
  });

  it('rejects publish() while the broker is unreachable and resumes publishing and consuming after reconnecting', async () => {
    const proxy = new CuttableProxy();
    await proxy.up();
    const logger = recordingLogger();
    const opts = options('outage', { logger, reconnect: { initialDelayMs: 50, maxDelayMs: 200 } });
    const bus = await started({ ...opts, url: proxy.url });
    const seen: string[] = [];
    await bus.consume(['d1'], async (d) => void seen.push(d.messageId));
    await bus.publish([message('before')]);
    await until(() => seen.includes('before'), 10_000, 'delivery before the outage');

    await proxy.cut();
    await until(() => logger.lines.some((l) => l.msg.includes('connection lost')), 5000, 'loss noticed');
    await expect(bus.publish([message('during')])).rejects.toMatchObject({ code: MessagingErrorCode.BROKER_UNAVAILABLE, failedMessageIds: [] });
    expect((await bus.health()).up).toBe(false);

    await sleep(400); // a few failed reconnect attempts
    await proxy.up();
    await until(() => logger.lines.some((l) => l.msg === 'amqp reconnected'), 10_000, 'reconnect');
    expect(await bus.health()).toEqual({ up: true, detail: 'connected' });
    await bus.publish([message('after')]);
    await until(() => seen.includes('after'), 10_000, 'delivery after the reconnect');
    await bus.close();
    await proxy.cut();
  });
});
