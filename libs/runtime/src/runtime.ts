import { CalendarSet, loadCalendars } from '@tongban/calendar';
import { Clock, SystemClock } from '@tongban/cases';
import { AppConfig } from '@tongban/config';
import { ContractRegistry } from '@tongban/contracts';
import { KeyRing, SigningKey } from '@tongban/envelope';
import { CHECKPOINT_KEY_OWNER } from '@tongban/ledger';
import { AmqpMessageBus, InProcessMessageBus, MessageBus } from '@tongban/messaging';
import { Database, openDatabase } from '@tongban/persistence';
import { ClientCertificateVerifier } from '@tongban/pki';
import type { JsonWebKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { createLogger } from './logger';
import { ExchangeMetrics } from './metrics';
import { LocalOutboxSignal } from './outbox-relay.runner';

/**
 * Everything a gateway or worker process shares, built once from the validated config: the database,
 * the bus, keys, contracts, logger and metrics. Both apps' Nest modules take it as `forRoot(runtime)`,
 * so the embedded all-in-one start runs both apps over one database handle and one in-process bus.
 */
export interface Runtime {
  config: AppConfig;
  logger: Logger;
  metrics: ExchangeMetrics;
  database: Database;
  bus: MessageBus;
  keys: KeyRing;
  contracts: ContractRegistry;
  gatewaySigningKey: SigningKey;
  /** Signs ledger checkpoints; its public half is in `keys` as CHECKPOINT_KEY_OWNER. */
  ledgerSigningKey: SigningKey;
  certificates: ClientCertificateVerifier;
  tls: { cert: Buffer; key: Buffer; ca: Buffer; crl?: Buffer };
  outboxSignal: LocalOutboxSignal;
  /** Working-day calendars (config/calendars): deadlines in each approving district's calendar. */
  calendars: CalendarSet;
  /** The exchange's notion of now (receipts, deadlines): the system clock except in tests that move time. */
  clock: Clock;
  close(): Promise<void>;
}

export interface CreateRuntimeOptions {
  /** Installation root: where config/calendars lives. */
  rootDir: string;
  logger?: Logger;
  poolSize?: number;
  /** Name prefix of the broker's exchanges and queues (tests isolate themselves with their own); overrides config.amqpPrefix. */
  amqpPrefix?: string;
  /** Replaces the system clock; for tests that walk a case across working days. */
  clock?: Clock;
}

function readJson<T>(path: string, what: string): T {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (error) {
    throw new Error(`Cannot read ${what} at ${path}: ${(error as Error).message}`);
  }
}

function readFile(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new Error(`Cannot read ${what} at ${path}: ${(error as Error).message}`);
  }
}

export function loadKeyRing(config: AppConfig): KeyRing {
  const keys = new KeyRing();
  for (const district of config.alliance.districts) {
    keys.add(district.id, readJson<{ keys: JsonWebKey[] }>(district.jwksPath, `signing keys (JWKS) of district ${district.id}`));
  }
  keys.add('gateway', readJson<{ keys: JsonWebKey[] }>(config.pki.gatewaySigningJwks, "the gateway's public signing keys"));
  keys.add(CHECKPOINT_KEY_OWNER, readJson<{ keys: JsonWebKey[] }>(config.pki.ledgerSigningJwks, "the gateway's public ledger keys"));
  return keys;
}

export async function createRuntime(config: AppConfig, opts: CreateRuntimeOptions): Promise<Runtime> {
  const logger = opts.logger ?? createLogger(config.logLevel);
  const metrics = new ExchangeMetrics();
  const keys = loadKeyRing(config);
  const privateJwk = readJson<JsonWebKey & { kid: string; alg: 'ES256' | 'EdDSA' }>(
    config.pki.gatewaySigningPrivateJwk,
    "the gateway's private signing key",
  );
  const gatewaySigningKey: SigningKey = { kid: privateJwk.kid, alg: privateJwk.alg, privateJwk };
  const ledgerJwk = readJson<JsonWebKey & { kid: string; alg: 'ES256' | 'EdDSA' }>(config.pki.ledgerSigningPrivateJwk, "the gateway's private ledger key");
  const ledgerSigningKey: SigningKey = { kid: ledgerJwk.kid, alg: ledgerJwk.alg, privateJwk: ledgerJwk };
  const tls = {
    cert: readFile(config.pki.serverCert, 'the gateway certificate'),
    key: readFile(config.pki.serverKey, 'the gateway private key'),
    ca: readFile(config.pki.caCert, 'the alliance CA certificate'),
    crl: config.pki.crl ? readFileSync(config.pki.crl) : undefined,
  };
  const certificates = new ClientCertificateVerifier({ caCertPem: tls.ca.toString('utf8'), crlPem: tls.crl?.toString('utf8') });
  const contracts = ContractRegistry.precompiled();
  const calendars = loadCalendars(join(opts.rootDir, 'config', 'calendars'));

  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: opts.poolSize });
  const districtIds = config.alliance.districts.map((d) => d.id);
  const busLogger = logger.child({ component: 'bus' });
  const bus: MessageBus = config.amqpUrl
    ? new AmqpMessageBus({
        url: config.amqpUrl,
        prefix: opts.amqpPrefix ?? config.amqpPrefix,
        districtIds,
        prefetch: config.delivery.prefetch,
        deliveryLimit: config.delivery.deliveryLimit,
        maxAttempts: config.delivery.maxAttempts,
        backoffSeconds: [...config.delivery.backoffSeconds],
        logger: busLogger,
      })
    : new InProcessMessageBus({
        districtIds,
        maxAttempts: config.delivery.maxAttempts,
        backoffSeconds: [...config.delivery.backoffSeconds],
        logger: busLogger,
      });
  await bus.start();
  logger.info(
    { database: database.description, transport: bus.kind === 'amqp' ? 'RabbitMQ' : 'in-process' },
    database.kind === 'embedded' || bus.kind === 'in-process'
      ? 'running on embedded defaults (set DATABASE_URL and AMQP_URL for PostgreSQL and RabbitMQ)'
      : 'running on PostgreSQL and RabbitMQ',
  );

  return {
    config,
    logger,
    metrics,
    database,
    bus,
    keys,
    contracts,
    gatewaySigningKey,
    ledgerSigningKey,
    certificates,
    tls,
    outboxSignal: new LocalOutboxSignal(),
    calendars,
    clock: opts.clock ?? new SystemClock(),
    close: async () => {
      await bus.close();
      await database.close();
    },
  };
}
