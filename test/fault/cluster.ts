import { AppConfig, loadConfig } from '@tongban/config';
import { KeyRing } from '@tongban/envelope';
import { issueDevelopmentPki } from '@tongban/pki';
import { loadKeyRing } from '@tongban/runtime';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deleteTopology } from '../messaging/rabbit.fixture';
import { AMQP_URL, createTestDatabase, ROOT_DIR, testConfig, uniquePrefix } from '../support/harness';
import { ensureRabbitRunning, queueStats, QueueStats } from './broker';
import { installDeliveryAudit } from './database';
import { buildApps, freePort, GatewayProcess, ManagedProcess, postMortem, ProcessEnv, startGateway, startWorker } from './processes';
import { acquireSuiteLock } from './suite-lock';
import { Districts } from './traffic';

/**
 * The suite's own development PKI (about a second to issue): the shared test PKI may be re-issued by
 * another suite while these processes start, and a process that reads a half-written key file dies.
 */
async function issuePki(dir: string): Promise<void> {
  const config = loadConfig({ rootDir: ROOT_DIR, env: { PKI_DIR: dir } });
  await issueDevelopmentPki({ dir, districts: config.alliance.districts.map((d) => ({ id: d.id, name: d.name, uscc: d.serviceCentreUscc })), operators: ['admin'] });
}

/**
 * Two gateway slots (fixed ports, so a replacement comes back where the district systems look) and
 * any number of worker processes, on one fresh PostgreSQL database and one broker prefix.
 */
export class FaultCluster {
  readonly gateways: GatewayProcess[] = [];
  readonly workers: ManagedProcess[] = [];
  /** Every process ever started, killed ones included, for post-mortems. */
  readonly history: ManagedProcess[] = [];
  districts!: Districts;
  keys!: KeyRing;

  private constructor(
    readonly name: string,
    readonly config: AppConfig,
    readonly env: ProcessEnv,
    readonly distDir: string,
    readonly ports: Array<{ partner: number; ops: number }>,
    private readonly cleanups: Array<() => Promise<void> | void>,
  ) {}

  /** Everything up to (not including) the processes; each step registers its own undo first. */
  static async create(name: string, lockTimeoutMs: number): Promise<{ cluster?: FaultCluster; cleanup: () => Promise<void>; lockWaitMs: number; setupMs: number }> {
    const cleanups: Array<() => Promise<void> | void> = [];
    const cleanup = async (): Promise<void> => {
      for (const undo of cleanups.reverse()) {
        try {
          await undo();
        } catch (error) {
          console.warn(`fault-suite clean-up step failed: ${(error as Error).message}`);
        }
      }
      cleanups.length = 0;
    };
    const lock = await acquireSuiteLock(name, lockTimeoutMs);
    cleanups.push(() => lock.release());
    const started = Date.now();
    try {
      const workDir = mkdtempSync(join(tmpdir(), `tongban-${name}-`));
      cleanups.push(() => rmSync(workDir, { recursive: true, force: true }));
      const pkiDir = join(workDir, 'pki');
      const [dist, db] = await Promise.all([buildApps(name), createTestDatabase(), issuePki(pkiDir)]);
      cleanups.push(() => dist.remove());
      cleanups.push(() => db.drop());
      const prefix = uniquePrefix(name);
      const config = testConfig({ PKI_DIR: pkiDir, DATA_DIR: workDir, DATABASE_URL: db.url, AMQP_URL, AMQP_PREFIX: prefix });
      const topologyOpts = { deliveryLimit: config.delivery.deliveryLimit, backoffSeconds: [...config.delivery.backoffSeconds] };
      const districtIds = config.alliance.districts.map((d) => d.id);
      // Last in, first out: runs after the processes are gone, and only once the broker is up again.
      cleanups.push(async () => {
        await ensureRabbitRunning();
        await deleteTopology(prefix, districtIds, topologyOpts);
      });
      const ports = [
        { partner: await freePort(), ops: await freePort() },
        { partner: await freePort(), ops: await freePort() },
      ];
      const cluster = new FaultCluster(name, config, { databaseUrl: db.url, amqpUrl: AMQP_URL, amqpPrefix: prefix, pkiDir, workDir }, dist.dir, ports, cleanups);
      cluster.keys = loadKeyRing(config);
      cluster.districts = new Districts(
        ports.map((p) => `https://localhost:${p.partner}`),
        pkiDir,
        districtIds,
      );
      cleanups.push(() => cluster.districts.close());
      cleanups.push(async () => void (await cluster.stopAll()));
      return { cluster, cleanup, lockWaitMs: lock.waitedMs, setupMs: Date.now() - started };
    } catch (error) {
      await cleanup();
      throw error;
    }
  }

  get districtIds(): string[] {
    return this.config.alliance.districts.map((d) => d.id);
  }

  /** Boots both gateway slots and `workers` workers in parallel (their migrations race under the advisory lock), then installs the audit trigger. */
  async boot(workers: number): Promise<void> {
    await Promise.all([
      this.startGateway(0, 'gateway-1'),
      this.startGateway(1, 'gateway-2'),
      ...Array.from({ length: workers }, (_, i) => this.startWorker(`worker-${i + 1}`)),
    ]);
    await installDeliveryAudit(this.env.databaseUrl);
  }

  async startGateway(slot: number, name: string): Promise<GatewayProcess> {
    const p = await this.track(startGateway(this.distDir, name, this.env, this.ports[slot]));
    this.gateways[slot] = p;
    return p;
  }

  async startWorker(name: string): Promise<ManagedProcess> {
    const p = await this.track(startWorker(this.distDir, name, this.env));
    this.workers.push(p);
    return p;
  }

  private async track<T extends ManagedProcess>(starting: Promise<T>): Promise<T> {
    const p = await starting;
    this.history.push(p);
    return p;
  }

  get topologyOpts(): { deliveryLimit: number; backoffSeconds: number[] } {
    return { deliveryLimit: this.config.delivery.deliveryLimit, backoffSeconds: [...this.config.delivery.backoffSeconds] };
  }

  queueStats(): Promise<QueueStats[]> {
    return queueStats(this.env.amqpPrefix, this.districtIds, this.topologyOpts);
  }

  /** GET /health/ready on a gateway's ops port. */
  async ready(slot: number): Promise<{ status: number; body: unknown }> {
    const r = await fetch(`http://127.0.0.1:${this.ports[slot].ops}/health/ready`, { signal: AbortSignal.timeout(5_000) });
    return { status: r.status, body: await r.json().catch(() => null) };
  }

  postMortem(): string {
    return postMortem(this.history);
  }

  /** Graceful stop of everything still running; reports how each ended. */
  async stopAll(): Promise<Array<{ name: string; code: number | null; signal: string | null; graceful: boolean }>> {
    const running = this.history.filter((p) => !p.exit);
    return Promise.all(running.map(async (p) => ({ name: p.name, ...(await p.stop(10_000)) })));
  }
}
