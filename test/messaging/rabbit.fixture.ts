import { randomBytes } from 'node:crypto';
import * as net from 'node:net';
import * as amqp from 'amqplib';
import { amqpTopology, type BusLogger } from '@tongban/messaging';

/** The broker the suites run against (no Docker here: RabbitMQ runs on this machine). */
export const RABBIT_URL = 'amqp://guest:guest@127.0.0.1:5672';

export function uniquePrefix(name: string): string {
  return `tbtest.${name}.${randomBytes(4).toString('hex')}`;
}

/** Collects log lines instead of printing them, so a test can assert on them and the output stays readable. */
export function recordingLogger(): BusLogger & { lines: Array<{ level: string; msg: string; o: object }> } {
  const lines: Array<{ level: string; msg: string; o: object }> = [];
  return {
    lines,
    info: (o, msg) => void lines.push({ level: 'info', msg, o }),
    warn: (o, msg) => void lines.push({ level: 'warn', msg, o }),
    error: (o, msg) => void lines.push({ level: 'error', msg, o }),
  };
}

/** Deletes everything amqpTopology() describes for this prefix (queues first, then exchanges). */
export async function deleteTopology(prefix: string, districtIds: string[], opts: { deliveryLimit: number; backoffSeconds: number[] }): Promise<void> {
  const t = amqpTopology(prefix, districtIds, opts);
  const conn = await amqp.connect(RABBIT_URL);
  try {
    const ch = await conn.createChannel();
    for (const q of t.queues) await ch.deleteQueue(q.name);
    for (const e of t.exchanges) await ch.deleteExchange(e.name);
    await ch.close();
  } finally {
    await conn.close();
  }
}

export function until(predicate: () => boolean, timeoutMs = 15_000, what = 'condition'): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = (): void => {
      if (predicate()) return resolve();
      if (Date.now() - started > timeoutMs) return reject(new Error(`${what} not met within ${timeoutMs} ms`));
      setTimeout(tick, 10);
    };
    tick();
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * A TCP proxy in front of RabbitMQ that a test can cut and restore: a broker outage for one
 * connection, without restarting the shared broker under the other suites.
 */
export class CuttableProxy {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  async up(): Promise<void> {
    const server = net.createServer((client) => {
      const upstream = net.connect(5672, '127.0.0.1');
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('error', () => undefined);
        s.on('close', () => this.sockets.delete(s));
      }
      client.pipe(upstream);
      upstream.pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as net.AddressInfo).port;
    this.server = server;
  }

  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  get url(): string {
    return `amqp://guest:guest@127.0.0.1:${this.port}`;
  }
}
