import { INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ArchiveLedgerUseCase, DeadLettersUseCase, EmitDeadlineEventsUseCase, SequenceLedgerUseCase } from '@tongban/cases';
import { MessageType } from '@tongban/envelope';
import { BusExceptionFilter, BusTransportStrategy } from '@tongban/messaging';
import { PinoNestLogger, Runtime } from '@tongban/runtime';
import { PeriodicJob } from './periodic.job';
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
  // Each is safe with several workers: deadline events are keyed (case, limit, kind), the ledger
  // sequencer holds an advisory lock and checkpoints are keyed by tree size.
  const emitDeadlines = app.get(EmitDeadlineEventsUseCase);
  const { warningShare, checkIntervalMs } = runtime.config.deadlines;
  const deadlines = new PeriodicJob(
    async () => ({ emitted: await emitDeadlines.run(warningShare) }),
    checkIntervalMs,
    runtime.logger.child({ component: 'deadline-timer' }),
    'deadline events emitted',
  );
  const sequenceLedger = app.get(SequenceLedgerUseCase);
  // At least once a second while there are new entries (RFC 9162-style signed tree heads).
  const ledger = new PeriodicJob(() => sequenceLedger.execute(), 1000, runtime.logger.child({ component: 'ledger' }), 'ledger checkpoint signed');
  // Entries past the online period move to chained archive files; hourly is plenty for a months-long period.
  const archiveLedger = app.get(ArchiveLedgerUseCase);
  const archive = new PeriodicJob(
    async () => ({ archived: (await archiveLedger.execute(runtime.config.ledger.onlineMonths)).archived }),
    3_600_000,
    runtime.logger.child({ component: 'ledger-archive' }),
    'ledger entries archived',
  );
  deadlines.start();
  ledger.start();
  archive.start();
  runtime.logger.info({ districts: districtIds.length, transport: runtime.bus.kind }, 'worker consuming');
  return {
    app,
    close: async () => {
      await Promise.all([deadlines.stop(), ledger.stop(), archive.stop()]);
      await app.close();
    },
  };
}
