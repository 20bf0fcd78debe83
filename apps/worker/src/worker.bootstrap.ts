import { INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DeadLettersUseCase, EmitDeadlineEventsUseCase } from '@tongban/cases';
import { MessageType } from '@tongban/envelope';
import { BusExceptionFilter, BusTransportStrategy } from '@tongban/messaging';
import { PinoNestLogger, Runtime } from '@tongban/runtime';
import { DeadlineTimer } from './deadline.timer';
import { WorkerModule } from './worker.module';

export interface RunningWorker {
  app: INestMicroservice;
  close(): Promise<void>;
}

/** The worker: a NestJS microservice on our bus transport (manual ack after commit, classified failures). */
export async function bootstrapWorker(runtime: Runtime): Promise<RunningWorker> {
  const districtIds = runtime.config.alliance.districts.map((d) => d.id);
  // messageTypes: listen() refuses to start unless every message type has exactly one handler.
  const strategy = new BusTransportStrategy(runtime.bus, { districtIds, messageTypes: Object.values(MessageType) });
  const app = await NestFactory.createMicroservice(WorkerModule.forRoot(runtime), {
    strategy,
    logger: new PinoNestLogger(runtime.logger.child({ app: 'worker' })),
    abortOnError: false,
  });
  // Keeps PermanentDeliveryError intact so the transport can dead-letter instead of retrying.
  app.useGlobalFilters(new BusExceptionFilter());
  await app.init();
  const deadLetters = app.get(DeadLettersUseCase);
  await runtime.bus.consumeDeadLetters(async (d) => {
    runtime.metrics.deadLettered.inc();
    runtime.logger.warn({ messageId: d.messageId, recipient: d.recipient, reason: d.reason }, 'message dead-lettered');
    // Stable code first (what tooling matches on), then the last error for the operator.
    await deadLetters.record(d.messageId, d.error ? `${d.reason}: ${d.error}` : d.reason);
  });
  await app.listen();
  const deadlines = new DeadlineTimer(app.get(EmitDeadlineEventsUseCase), runtime.config.deadlines, runtime.logger.child({ component: 'deadline-timer' }));
  deadlines.start();
  runtime.logger.info({ districts: districtIds.length, transport: runtime.bus.kind }, 'worker consuming');
  return {
    app,
    close: async () => {
      await deadlines.stop();
      await app.close();
    },
  };
}
