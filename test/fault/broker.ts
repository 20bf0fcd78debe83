import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as amqp from 'amqplib';
import { amqpTopology } from '@tongban/messaging';
import { AMQP_URL } from '../support/harness';

const run = promisify(execFile);

/** The RabbitMQ of this machine, driven with its own CLI (the tests run as root here). */

async function ctl(tool: 'rabbitmqctl' | 'rabbitmq-diagnostics', args: string[], timeoutMs: number): Promise<string> {
  const { stdout } = await run(tool, args, { timeout: timeoutMs });
  return stdout;
}

export async function rabbitRunning(): Promise<boolean> {
  try {
    await ctl('rabbitmq-diagnostics', ['-q', 'check_running'], 15_000);
    return true;
  } catch {
    return false;
  }
}

async function waitRunning(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await rabbitRunning())) {
    if (Date.now() > deadline) throw new Error(`RabbitMQ not running ${timeoutMs} ms after start_app`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function stopRabbitApp(): Promise<void> {
  await ctl('rabbitmqctl', ['-q', 'stop_app'], 60_000);
}

export async function startRabbitApp(timeoutMs = 60_000): Promise<void> {
  await ctl('rabbitmqctl', ['-q', 'start_app'], timeoutMs);
  await waitRunning(timeoutMs);
}

/**
 * Restarts the broker application (connections drop, quorum queues recover from disk) and always
 * leaves it running, whatever happens in between. Returns how long it was down.
 */
export async function restartRabbit(downMs: number): Promise<{ outageMs: number }> {
  const started = Date.now();
  try {
    await stopRabbitApp();
    await new Promise((r) => setTimeout(r, downMs));
  } finally {
    await startRabbitApp();
  }
  return { outageMs: Date.now() - started };
}

/** For afterAll: whatever failed, the shared broker is left up. */
export async function ensureRabbitRunning(): Promise<void> {
  if (await rabbitRunning()) return;
  await startRabbitApp();
}

export interface QueueStats {
  queue: string;
  messages: number;
  consumers: number;
}

/** Ready messages and consumers of each district queue and the dead-letter queue (amqplib checkQueue). */
export async function queueStats(prefix: string, districtIds: string[], opts: { deliveryLimit: number; backoffSeconds: number[] }): Promise<QueueStats[]> {
  const t = amqpTopology(prefix, districtIds, opts);
  const names = [...Object.values(t.districtQueues), t.deadLetterQueue, ...t.retrySteps.map((s) => s.queue)];
  const conn = await amqp.connect(AMQP_URL);
  try {
    const stats: QueueStats[] = [];
    for (const queue of [...new Set(names)]) {
      const ch = await conn.createChannel();
      const q = await ch.checkQueue(queue);
      stats.push({ queue, messages: q.messageCount, consumers: q.consumerCount });
      await ch.close();
    }
    return stats;
  } finally {
    await conn.close().catch(() => undefined);
  }
}
