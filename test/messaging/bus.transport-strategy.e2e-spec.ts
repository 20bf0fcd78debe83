import 'reflect-metadata';
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, Payload } from '@nestjs/microservices';
import {
  AmqpMessageBus,
  type AmqpBusOptions,
  BusExceptionFilter,
  BusTransportStrategy,
  type DeadLetterDelivery,
  type Delivery,
  PermanentDeliveryError,
} from '@tongban/messaging';
import { deleteTopology, RABBIT_URL, recordingLogger, sleep, uniquePrefix, until } from './rabbit.fixture';

const handled: Delivery[] = [];

@Controller()
class SubmissionController {
  @EventPattern('case.submission')
  async onSubmission(@Payload() delivery: Delivery): Promise<void> {
    if (delivery.body.toString() === 'forged') throw new PermanentDeliveryError('BAD_SIGNATURE', 'forged');
    handled.push(delivery);
  }
}

@Module({ controllers: [SubmissionController] })
class TinyWorkerModule {}

describe('BusTransportStrategy on RabbitMQ', () => {
  const opts: AmqpBusOptions = {
    url: RABBIT_URL,
    prefix: uniquePrefix('nest'),
    districtIds: ['d1', 'd2'],
    prefetch: 10,
    deliveryLimit: 5,
    maxAttempts: 3,
    backoffSeconds: [0.2],
    logger: recordingLogger(),
  };

  afterAll(() => deleteTopology(opts.prefix as string, opts.districtIds, opts));

  it('dispatches @EventPattern handlers and dead-letters an unknown type with NO_HANDLER without blocking the queue', async () => {
    const bus = new AmqpMessageBus(opts);
    const strategy = new BusTransportStrategy(bus, { districtIds: opts.districtIds, messageTypes: ['case.submission'] });
    const app = await NestFactory.createMicroservice(TinyWorkerModule, { strategy, logger: false });
    app.useGlobalFilters(new BusExceptionFilter());
    await app.listen();
    try {
      const dead: DeadLetterDelivery[] = [];
      await bus.consumeDeadLetters(async (d) => void dead.push(d));
      await bus.publish([
        { messageId: 'u-1', recipient: 'd1', type: 'case.unknown', body: Buffer.from('jws') },
        { messageId: 's-1', recipient: 'd1', type: 'case.submission', body: Buffer.from('jws') },
        { messageId: 'f-1', recipient: 'd2', type: 'case.submission', body: Buffer.from('forged') },
        { messageId: 's-2', recipient: 'd2', type: 'case.submission', body: Buffer.from('jws') },
      ]);
      await until(() => handled.length === 2 && dead.length === 2, 10_000, 'two handled, two dead letters');
      await sleep(300);
      expect(handled.map((d) => d.messageId).sort()).toEqual(['s-1', 's-2']);
      const reasons = Object.fromEntries(dead.map((d) => [d.messageId, d.reason]));
      expect(reasons).toEqual({ 'u-1': 'NO_HANDLER', 'f-1': 'BAD_SIGNATURE' });
      expect(dead.find((d) => d.messageId === 'u-1')).toMatchObject({ type: 'case.unknown', attempt: 1 });
    } finally {
      await app.close();
    }
    expect(await bus.health()).toEqual({ up: false, detail: 'closed' });
  });
});
