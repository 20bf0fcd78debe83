import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { RecordConfigurationUseCase, RelayOutboxUseCase } from '@tongban/cases';
import { OutboxRelayRunner, PinoNestLogger, Runtime } from '@tongban/runtime';
import { bootstrapConsole } from './console/console.bootstrap';
import { OpsApiModule, PartnerApiModule } from './gateway.module';
import { acceptStreamedBodies } from './materials/streamed-body';
import { buildOpenApi } from './openapi';

export interface RunningGateway {
  partnerUrl: string;
  opsUrl: string;
  /** Undefined when no consoleApi listener is configured. */
  consoleUrl?: string;
  partnerApp: INestApplication;
  close(): Promise<void>;
}

/** Envelopes travel as the compact JWS text; the body limit leaves room for the use case to answer 413 itself. */
function partnerAdapter(runtime: Runtime): FastifyAdapter {
  const adapter = new FastifyAdapter({
    https: {
      cert: runtime.tls.cert,
      key: runtime.tls.key,
      ca: runtime.tls.ca,
      requestCert: true,
      // Refuse certificates not issued by the alliance CA during the handshake, before any HTTP.
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
    },
    bodyLimit: runtime.config.messages.maxBytes + 64 * 1024,
    keepAliveTimeout: 30_000,
  });
  adapter.getInstance().addContentTypeParser('application/jose', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  acceptStreamedBodies(adapter.getInstance()); // materials: the upload is read as a stream, never buffered whole
  return adapter;
}

export async function bootstrapGateway(runtime: Runtime, opts: { relay?: boolean } = {}): Promise<RunningGateway> {
  const { config } = runtime;
  const logger = new PinoNestLogger(runtime.logger.child({ app: 'gateway' }));
  const partnerApp = await NestFactory.create<NestFastifyApplication>(PartnerApiModule.forRoot(runtime), partnerAdapter(runtime), {
    logger,
    abortOnError: false,
  });
  await partnerApp.listen(config.partnerApi.port, config.partnerApi.host);

  const opsApp = await NestFactory.create<NestFastifyApplication>(OpsApiModule.forRoot(runtime), new FastifyAdapter(), { logger, abortOnError: false });
  SwaggerModule.setup('docs', opsApp, buildOpenApi(partnerApp), { jsonDocumentUrl: 'docs/openapi.json' });
  await opsApp.listen(config.opsApi.port, config.opsApi.host);

  // The relay runs where rows are written, so a commit wakes it directly; any gateway also sweeps rows others left.
  const relay = new OutboxRelayRunner(partnerApp.get(RelayOutboxUseCase), runtime.outboxSignal, config.outbox, runtime.logger.child({ component: 'outbox-relay' }), runtime.metrics);
  if (opts.relay !== false) relay.start();

  // A changed alliance, key or certificate is an administrative action: it goes on the ledger.
  const configuration = await partnerApp.get(RecordConfigurationUseCase).execute();
  if (configuration.changed) runtime.logger.info({ digest: configuration.digest }, 'configuration recorded on the exchange ledger');
  const consoleApp = config.consoleApi ? await bootstrapConsole(runtime, config.consoleApi) : undefined;
  const partnerUrl = urlOf(await partnerApp.getUrl(), 'https');
  const opsUrl = urlOf(await opsApp.getUrl(), 'http');
  const consoleUrl = consoleApp ? urlOf(await consoleApp.getUrl(), 'https') : undefined;
  runtime.logger.info({ partnerUrl, opsUrl, consoleUrl }, 'gateway listening');
  return {
    partnerUrl,
    opsUrl,
    ...(consoleUrl ? { consoleUrl } : {}),
    partnerApp,
    close: async () => {
      await relay.stop();
      await partnerApp.close();
      await opsApp.close();
      await consoleApp?.close();
    },
  };
}

function urlOf(url: string, scheme: string): string {
  return url.replace(/^https?:/, `${scheme}:`).replace('[::1]', 'localhost');
}
