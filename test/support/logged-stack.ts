import 'reflect-metadata';
import { bootstrapGateway } from '@tongban/app-gateway';
import { bootstrapWorker } from '@tongban/app-worker';
import { PartnerClient } from '@tongban/partner-client';
import { pkiLayout } from '@tongban/pki';
import { createRuntime } from '@tongban/runtime';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino, { Logger } from 'pino';
import { deleteTopology } from '../messaging/rabbit.fixture';
import { AMQP_URL, ROOT_DIR, Stack, testConfig, testPki } from './harness';

/** Every line a logger wrote, in memory: a test can assert what the logs do (not) contain. */
export interface CapturedLog {
  logger: Logger;
  /** Raw lines as pino wrote them (newline-delimited JSON). */
  lines: string[];
  text(): string;
}

export function captureLog(level: pino.LevelWithSilent = 'trace'): CapturedLog {
  const lines: string[] = [];
  const logger = pino({ level }, { write: (line: string) => void lines.push(line) });
  return { logger, lines, text: () => lines.join('') };
}

/**
 * startStack (harness.ts) with the caller's logger instead of a quiet one; otherwise the same: real
 * PostgreSQL and RabbitMQ, gateway + worker in this process, the shared test PKI, topology deleted on stop.
 */
export async function startStackWithLogger(opts: { logger: Logger; databaseUrl: string; amqpPrefix: string; worker?: boolean }): Promise<Stack> {
  const pkiDir = await testPki();
  const dataDir = mkdtempSync(join(tmpdir(), 'tongban-data-'));
  const config = testConfig({ PKI_DIR: pkiDir, DATA_DIR: dataDir, DATABASE_URL: opts.databaseUrl, AMQP_URL, LOG_LEVEL: opts.logger.level });
  const runtime = await createRuntime(config, { rootDir: ROOT_DIR, logger: opts.logger, amqpPrefix: opts.amqpPrefix, poolSize: 10 });
  const gateway = await bootstrapGateway(runtime);
  const worker = opts.worker === false ? undefined : await bootstrapWorker(runtime);
  const clients: PartnerClient[] = [];
  const layout = pkiLayout(pkiDir);
  const ca = readFileSync(layout.caCert);
  const makeClient = (cert: string, key: string) => {
    const client = new PartnerClient({ baseUrl: gateway.partnerUrl, cert: readFileSync(cert), key: readFileSync(key), ca });
    clients.push(client);
    return client;
  };
  return {
    config,
    runtime,
    gateway,
    worker,
    client: (id) => makeClient(layout.district(id).clientCert, layout.district(id).clientKey),
    operator: () => makeClient(layout.operator('admin').clientCert, layout.operator('admin').clientKey),
    signingKey: (id) => {
      const jwk = JSON.parse(readFileSync(layout.district(id).signingPrivateJwk, 'utf8'));
      return { kid: jwk.kid, alg: jwk.alg, privateJwk: jwk };
    },
    stop: async () => {
      await Promise.all(clients.map((c) => c.close()));
      await worker?.close();
      await gateway.close();
      await runtime.close();
      await deleteTopology(opts.amqpPrefix, config.alliance.districts.map((d) => d.id), {
        deliveryLimit: config.delivery.deliveryLimit,
        backoffSeconds: [...config.delivery.backoffSeconds],
      });
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
