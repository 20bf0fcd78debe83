import 'reflect-metadata';
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { defer, throwError } from 'rxjs';
import { assertHandlersCover, BusContext, BusExceptionFilter, BusTransportStrategy } from './bus.transport-strategy';
import { InProcessMessageBus } from './in-process.message-bus';
import type { BusLogger, DeadLetterDelivery, Delivery } from './message-bus.port';
import { MessagingErrorCode, PermanentDeliveryError } from './messaging.error';

const quiet: BusLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
const seen: Array<{ delivery: Delivery; fromContext: Delivery }> = [];
let failuresBeforeSuccess = 0;

@Controller()
class SubmissionController {
  // Nest 12 types @EventPattern('x') handlers as (data, ...args: unknown[]); naming the overload
  // with <string> is what lets a typed @Ctx() parameter through.
  @EventPattern<string>('case.submission')
  async onSubmission(@Payload() delivery: Delivery, @Ctx() ctx: BusContext): Promise<void> {
    if (delivery.attempt <= failuresBeforeSuccess) throw new Error('transient');
    seen.push({ delivery, fromContext: ctx.getDelivery() });
  }

  @EventPattern('case.withdrawal')
  onWithdrawal(@Payload() _delivery: Delivery): unknown {
    // Observable errors count like thrown ones.
    return defer(() => throwError(() => new PermanentDeliveryError('CASE_CLOSED', 'case already closed')));
  }
}

@Controller()
class DuplicateController {
  @EventPattern('case.submission')
  async again(@Payload() _delivery: Delivery): Promise<void> {}

  @MessagePattern('case.query')
  query(@Payload() _delivery: Delivery): string {
    return 'x';
  }
}

@Module({ controllers: [SubmissionController] })
class WorkerModule {}

@Module({ controllers: [SubmissionController, DuplicateController] })
class BrokenModule {}

function until(predicate: () => boolean, timeoutMs = 3000): Promise<void> {
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

describe('BusTransportStrategy (in-process bus)', () => {
  let bus: InProcessMessageBus;
  const dead: DeadLetterDelivery[] = [];

  beforeEach(() => {
    seen.length = 0;
    dead.length = 0;
    failuresBeforeSuccess = 0;
    bus = new InProcessMessageBus({ districtIds: ['d1'], maxAttempts: 3, backoffSeconds: [0.01], logger: quiet });
  });

  async function boot(module: unknown, messageTypes?: string[], filter = true) {
    const strategy = new BusTransportStrategy(bus, { districtIds: ['d1'], messageTypes });
    const app = await NestFactory.createMicroservice(module as never, { strategy, logger: false });
    if (filter) app.useGlobalFilters(new BusExceptionFilter());
    await app.listen();
    await bus.consumeDeadLetters(async (d) => void dead.push(d));
    return { app, strategy };
  }

  it('dispatches by message type, passing the Delivery as payload and in the context', async () => {
    const { app } = await boot(WorkerModule, ['case.submission', 'case.withdrawal']);
    await bus.publish([{ messageId: 'm1', recipient: 'd1', type: 'case.submission', body: Buffer.from('jws') }]);
    await until(() => seen.length === 1);
    expect(seen[0].delivery.messageId).toBe('m1');
    expect(seen[0].fromContext).toBe(seen[0].delivery);
    await app.close();
  });

  it('retries a handler that threw, then acks', async () => {
    failuresBeforeSuccess = 2;
    const { app } = await boot(WorkerModule);
    await bus.publish([{ messageId: 'm2', recipient: 'd1', type: 'case.submission', body: Buffer.from('jws') }]);
    await until(() => seen.length === 1);
    expect(seen[0].delivery.attempt).toBe(3);
    expect(dead).toHaveLength(0);
    await app.close();
  });

  it('dead-letters a permanent error raised through an Observable, keeping its code', async () => {
    const { app } = await boot(WorkerModule);
    await bus.publish([{ messageId: 'm3', recipient: 'd1', type: 'case.withdrawal', body: Buffer.from('jws') }]);
    await until(() => dead.length === 1);
    expect(dead[0]).toMatchObject({ messageId: 'm3', reason: 'CASE_CLOSED', attempt: 1 });
    await app.close();
  });

  it('without BusExceptionFilter the class is lost, so a permanent error is retried (bounded) instead', async () => {
    const { app } = await boot(WorkerModule, undefined, false);
    await bus.publish([{ messageId: 'm5', recipient: 'd1', type: 'case.withdrawal', body: Buffer.from('jws') }]);
    await until(() => dead.length === 1);
    expect(dead[0]).toMatchObject({ messageId: 'm5', reason: 'ATTEMPTS_EXHAUSTED', attempt: 3 });
    await app.close();
  });

  it('dead-letters an unknown type with NO_HANDLER and keeps consuming', async () => {
    const { app } = await boot(WorkerModule);
    await bus.publish([
      { messageId: 'u1', recipient: 'd1', type: 'case.unknown', body: Buffer.from('jws') },
      { messageId: 'm4', recipient: 'd1', type: 'case.submission', body: Buffer.from('jws') },
    ]);
    await until(() => dead.length === 1 && seen.length === 1);
    expect(dead[0]).toMatchObject({ messageId: 'u1', reason: 'NO_HANDLER', type: 'case.unknown' });
    await app.close();
  });

  it('refuses to listen when a type lacks exactly one event handler', async () => {
    const strategy = new BusTransportStrategy(bus, { districtIds: ['d1'], messageTypes: ['case.submission', 'case.transfer'] });
    const app = await NestFactory.createMicroservice(BrokenModule, { strategy, logger: false });
    await expect(app.listen()).rejects.toMatchObject({ code: MessagingErrorCode.HANDLER_COVERAGE });
    let message = '';
    try {
      assertHandlersCover(strategy, ['case.submission', 'case.transfer']);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain(`'case.submission' has 2 handlers`);
    expect(message).toContain(`'case.transfer' has no handler`);
    expect(message).toContain(`handler for 'case.query'`);
    expect(message).toContain(`handler for 'case.withdrawal'`);
    await app.close();
  });
});
