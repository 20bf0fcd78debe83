import 'reflect-metadata';
import { bootstrapGateway, RunningGateway } from '@tongban/app-gateway';
import { bootstrapWorker, RunningWorker } from '@tongban/app-worker';
import { AppConfig, loadConfig } from '@tongban/config';
import { Clock } from '@tongban/cases';
import { MessageType, SigningKey } from '@tongban/envelope';
import { PartnerClient, demoCaseNumber, demoSubmissionPayload, signedMessage } from '@tongban/partner-client';
import { v7 as uuidv7 } from 'uuid';
import { issueDevelopmentPki, pkiLayout } from '@tongban/pki';
import { createRuntime, Runtime } from '@tongban/runtime';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import pino from 'pino';
import { deleteTopology } from '../messaging/rabbit.fixture';

/**
 * Integration tests run on the REAL PostgreSQL and RabbitMQ of this machine (CI starts them). A service
 * that is down makes the test fail, never skip. Each suite gets its own database and broker prefix.
 */
export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const AMQP_URL = process.env.TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
export const ROOT_DIR = resolve(__dirname, '..', '..');

export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `tongban_t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new Client({ connectionString: POSTGRES_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export interface TestPki {
  dir: string;
  remove(): void;
}

let sharedPki: Promise<string> | undefined;
/**
 * One development PKI for all suites, kept in the temp directory between runs (keyed by the alliance's
 * districts): RSA key generation is the slow part of a suite's set-up, and issuing is idempotent.
 */
const PKI_LAYOUT = 2;

export function testPki(): Promise<string> {
  sharedPki ??= (async () => {
    const config = loadConfig({ rootDir: ROOT_DIR, env: {} });
    const districts = config.alliance.districts.map((d) => ({ id: d.id, name: d.name, uscc: d.serviceCentreUscc }));
    // Bump PKI_LAYOUT when the development PKI gains files (v2: ledger key, auditor certificates).
    const key = createHash('sha256').update(JSON.stringify({ districts, layout: PKI_LAYOUT })).digest('hex').slice(0, 12);
    const dir = join(tmpdir(), `tongban-test-pki-${key}`);
    if (!existsSync(dir)) {
      // Issue aside, then move into place in one rename: a concurrent test process never sees half a PKI.
      const staging = mkdtempSync(join(tmpdir(), 'tongban-test-pki-staging-'));
      await issueDevelopmentPki({ dir: staging, districts, operators: ['admin'] });
      try {
        renameSync(staging, dir);
      } catch {
        rmSync(staging, { recursive: true, force: true }); // another process won the race; use its PKI
      }
    }
    return dir;
  })();
  return sharedPki;
}

export function testConfig(env: Record<string, string | undefined>): AppConfig {
  return loadConfig({ rootDir: ROOT_DIR, env: { PARTNER_API_PORT: '0', OPS_API_PORT: '0', CONSOLE_API_PORT: '0', LOG_LEVEL: 'warn', ...env } });
}

export interface Stack {
  config: AppConfig;
  runtime: Runtime;
  gateway: RunningGateway;
  worker?: RunningWorker;
  client(districtId: string): PartnerClient;
  operator(): PartnerClient;
  /** An auditor's client (development certificates 'auditor' — all districts — and 'auditor-qingdao'). */
  auditor(name?: string): PartnerClient;
  signingKey(districtId: string): SigningKey;
  stop(): Promise<void>;
}

/** A gateway (and by default a worker) in this process on the real services. */
export async function startStack(
  opts: {
    databaseUrl?: string;
    amqpUrl?: string | null;
    amqpPrefix?: string;
    worker?: boolean;
    env?: Record<string, string>;
    logger?: pino.Logger;
    /** The gateway's and worker's clock; the system clock by default. */
    clock?: Clock;
  } = {},
): Promise<Stack> {
  const pkiDir = await testPki();
  const dataDir = mkdtempSync(join(tmpdir(), 'tongban-data-'));
  const config = testConfig({
    PKI_DIR: pkiDir,
    DATA_DIR: dataDir,
    DATABASE_URL: opts.databaseUrl,
    AMQP_URL: opts.amqpUrl === null ? undefined : (opts.amqpUrl ?? AMQP_URL),
    ...(opts.logger ? { LOG_LEVEL: opts.logger.level } : {}),
    ...opts.env,
  });
  const runtime = await createRuntime(config, { rootDir: ROOT_DIR, logger: opts.logger ?? pino({ level: 'warn' }), amqpPrefix: opts.amqpPrefix, poolSize: 10, clock: opts.clock });
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
    auditor: (name = 'auditor') => makeClient(layout.auditor(name).clientCert, layout.auditor(name).clientKey),
    signingKey: (id) => {
      const jwk = JSON.parse(readFileSync(layout.district(id).signingPrivateJwk, 'utf8'));
      return { kid: jwk.kid, alg: jwk.alg, privateJwk: jwk };
    },
    stop: async () => {
      await Promise.all(clients.map((c) => c.close()));
      await worker?.close();
      await gateway.close();
      await runtime.close();
      if (opts.amqpPrefix && config.amqpUrl) {
        await deleteTopology(opts.amqpPrefix, config.alliance.districts.map((d) => d.id), {
          deliveryLimit: config.delivery.deliveryLimit,
          backoffSeconds: [...config.delivery.backoffSeconds],
        });
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function uniquePrefix(name: string): string {
  return `tbt.${name}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/** Polls until `check` returns a value (not undefined) or the deadline passes. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 15_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** The exchange's clock for tests that move time across working days or months instead of sleeping. */
export class MovableClock extends Clock {
  private current: Date;

  constructor(start: string | Date = new Date()) {
    super();
    this.current = new Date(start);
  }

  now(): Date {
    return new Date(this.current);
  }

  set(at: string | Date): void {
    this.current = new Date(at);
  }

  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/**
 * A demo case submitted from `from` to `to` through the partner API (expects 202); `sentAt` defaults
 * to the stack's clock so it stays in the gateway's window when a test moved time.
 */
export async function submitDemoCase(
  stack: Stack,
  from: string,
  to: string,
  opts: { caseType?: string; sentAt?: string } = {},
): Promise<{ caseNumber: string; collaborationId: string; messageId: string; envelope: string }> {
  const caseNumber = demoCaseNumber(from);
  const collaborationId = uuidv7();
  const signed = await signedMessage(stack.signingKey(from), {
    caseNumber,
    collaborationId,
    sender: from,
    recipient: to,
    messageType: MessageType.CASE_SUBMISSION,
    payload: { ...demoSubmissionPayload(stack.config.alliance, from, to), ...(opts.caseType ? { caseType: opts.caseType } : {}) },
    sentAt: opts.sentAt ?? stack.runtime.clock.now().toISOString(),
  });
  const response = await stack.client(from).submit(signed.envelope);
  if (response.status !== 202) throw new Error(`submission refused: ${response.status} ${JSON.stringify(response.body)}`);
  return { caseNumber, collaborationId, messageId: signed.body.messageId, envelope: signed.envelope };
}
