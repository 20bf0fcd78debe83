import { InProcessMessageBus } from './in-process.message-bus';
import type { BusLogger, DeadLetterDelivery, Delivery } from './message-bus.port';
import { MessagingErrorCode, PermanentDeliveryError } from './messaging.error';

const quiet: BusLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

function until(predicate: () => boolean, timeoutMs = 2000): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = (): void => {
      if (predicate()) return resolve();
      if (Date.now() - started > timeoutMs) return reject(new Error('condition not met in time'));
      setTimeout(tick, 2);
    };
    tick();
  });
}

const msg = (id: string, recipient = 'd1', type = 'case.submission') => ({ messageId: id, recipient, type, body: Buffer.from(`jws-${id}`) });

describe('InProcessMessageBus', () => {
  let bus: InProcessMessageBus;
  const dead: DeadLetterDelivery[] = [];

  beforeEach(async () => {
    dead.length = 0;
    bus = new InProcessMessageBus({ districtIds: ['d1', 'd2'], maxAttempts: 3, backoffSeconds: [0.01, 0.02], logger: quiet });
    await bus.start();
    await bus.consumeDeadLetters(async (d) => void dead.push(d));
  });
  afterEach(() => bus.close());

  it('delivers every message once to its district, after publish() returned', async () => {
    const seen: Delivery[] = [];
    await bus.consume(['d1', 'd2'], async (d) => void seen.push(d));
    await bus.publish([msg('a', 'd1'), msg('b', 'd2'), msg('c', 'd1')]);
    expect(seen).toHaveLength(0);
    await until(() => seen.length === 3);
    expect(seen.map((d) => [d.messageId, d.recipient, d.attempt, d.redelivered]).sort()).toEqual([
      ['a', 'd1', 1, false],
      ['b', 'd2', 1, false],
      ['c', 'd1', 1, false],
    ]);
    expect(seen.find((d) => d.messageId === 'b')?.body.toString()).toBe('jws-b');
  });

  it('keeps messages published before anyone consumes', async () => {
    await bus.publish([msg('early')]);
    const seen: string[] = [];
    await bus.consume(['d1'], async (d) => void seen.push(d.messageId));
    await until(() => seen.length === 1);
  });

  it('retries a transient failure and succeeds on attempt 3', async () => {
    const attempts: number[] = [];
    await bus.consume(['d1'], async (d) => {
      attempts.push(d.attempt);
      if (d.attempt < 3) throw new Error('database busy');
    });
    await bus.publish([msg('r')]);
    await until(() => attempts.length === 3);
    await new Promise((r) => setTimeout(r, 50));
    expect(attempts).toEqual([1, 2, 3]);
    expect(dead).toHaveLength(0);
  });

  it('dead-letters after maxAttempts transient failures', async () => {
    let calls = 0;
    await bus.consume(['d1'], async () => {
      calls++;
      throw new Error('still busy');
    });
    await bus.publish([msg('x')]);
    await until(() => dead.length === 1);
    expect(calls).toBe(3);
    expect(dead[0]).toMatchObject({ messageId: 'x', reason: 'ATTEMPTS_EXHAUSTED', error: 'still busy', attempt: 3 });
  });

  it('dead-letters a permanent error at once', async () => {
    let calls = 0;
    await bus.consume(['d1'], async () => {
      calls++;
      throw new PermanentDeliveryError('BAD_SIGNATURE', 'signature does not verify');
    });
    await bus.publish([msg('p')]);
    await until(() => dead.length === 1);
    expect(calls).toBe(1);
    expect(dead[0]).toMatchObject({ messageId: 'p', reason: 'BAD_SIGNATURE', error: 'signature does not verify' });
    expect(Date.parse(dead[0].deadLetteredAt)).not.toBeNaN();
  });

  it('retries a failing dead-letter handler instead of dropping the message', async () => {
    const other = new InProcessMessageBus({ districtIds: ['d1'], maxAttempts: 1, backoffSeconds: [0.01], logger: quiet });
    await other.start();
    let tries = 0;
    await other.consumeDeadLetters(async () => {
      if (++tries < 3) throw new Error('dlq store down');
    });
    await other.consume(['d1'], async () => {
      throw new PermanentDeliveryError('SCHEMA', 'bad');
    });
    await other.publish([msg('q')]);
    await until(() => other.pending().deadLetters === 0 && tries === 3);
    await other.close();
  });

  it('refuses a batch with an unknown recipient, naming the messages', async () => {
    await expect(bus.publish([msg('ok'), msg('nope', 'zz')])).rejects.toMatchObject({
      code: MessagingErrorCode.PUBLISH_UNROUTABLE,
      failedMessageIds: ['nope'],
    });
  });

  it('refuses to publish before start and after close', async () => {
    const fresh = new InProcessMessageBus({ districtIds: ['d1'], maxAttempts: 1, backoffSeconds: [1] });
    await expect(fresh.publish([msg('a')])).rejects.toMatchObject({ code: MessagingErrorCode.NOT_STARTED });
    await fresh.start();
    await fresh.close();
    await expect(fresh.publish([msg('a')])).rejects.toMatchObject({ code: MessagingErrorCode.CLOSED });
    expect(await fresh.health()).toEqual({ up: false, detail: 'closed' });
  });

  it('bounds handler concurrency per district', async () => {
    const limited = new InProcessMessageBus({ districtIds: ['d1'], maxAttempts: 1, backoffSeconds: [1], concurrency: 2, logger: quiet });
    await limited.start();
    let running = 0;
    let peak = 0;
    let done = 0;
    await limited.consume(['d1'], async () => {
      peak = Math.max(peak, ++running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      done++;
    });
    await limited.publish(Array.from({ length: 10 }, (_, i) => msg(`m${i}`)));
    await until(() => done === 10);
    expect(peak).toBe(2);
    await limited.close();
  });
});
