import { amqpTopology } from '@tongban/messaging';
import { issueDevelopmentPki } from '@tongban/pki';
import * as amqp from 'amqplib';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

/** A fresh database for one run: CREATE on the admin URL, DROP … WITH (FORCE) afterwards. */
export async function createBenchDatabase(adminUrl: string, name: string): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** Deletes every queue and exchange amqpTopology() describes for the prefix (queues first). */
export async function deleteAmqpTopology(
  amqpUrl: string,
  prefix: string,
  districtIds: string[],
  opts: { deliveryLimit: number; backoffSeconds: number[] },
): Promise<void> {
  const t = amqpTopology(prefix, districtIds, opts);
  const conn = await amqp.connect(amqpUrl);
  try {
    const ch = await conn.createChannel();
    for (const q of t.queues) await ch.deleteQueue(q.name);
    for (const e of t.exchanges) await ch.deleteExchange(e.name);
    await ch.close();
  } finally {
    await conn.close();
  }
}

/** A development PKI for the whole alliance in a temporary directory, removed by `remove()`. */
export async function temporaryPki(districts: Array<{ id: string; name: string; uscc: string }>): Promise<{ dir: string; remove(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'tongban-bench-pki-'));
  await issueDevelopmentPki({ dir, districts: districts.map((d) => ({ id: d.id, name: d.name, uscc: d.uscc })), operators: ['admin'] });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

const CLOCK_TICKS = 100;

/**
 * CPU seconds used so far, grouped: our own pids by role, PostgreSQL and RabbitMQ by command name
 * (all their processes, whoever's work they do), and 'machine' = every busy CPU second of the host
 * (/proc/stat), so that what other processes took can be told apart from what the bench measured.
 */
export function cpuSnapshot(roles: Record<string, number>, database?: string): Map<string, number> {
  const byPid = new Map<number, string>(Object.entries(roles).map(([role, pid]) => [pid, role]));
  const totals = new Map<string, number>();
  if (!existsSync('/proc/self/stat')) return totals;
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: busy = all but idle and iowait.
  totals.set('machine', (cpu.slice(0, 8).reduce((a, b) => a + b, 0) - cpu[3] - cpu[4]) / CLOCK_TICKS);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue;
    }
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const seconds = (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
    const group = byPid.get(pid) ?? (comm === 'postgres' ? postgresGroup(pid, database) : comm === 'beam.smp' || comm.startsWith('erl') ? 'rabbitmq' : undefined);
    if (group) totals.set(group, (totals.get(group) ?? 0) + seconds);
  }
  return totals;
}

/**
 * A backend serving the bench's database is 'postgres'; the server's own processes (WAL writer,
 * checkpointer, …) are 'postgres-bg'; backends of other databases belong to someone else.
 */
function postgresGroup(pid: number, database: string | undefined): string | undefined {
  let title: string;
  try {
    title = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return undefined;
  }
  if (database && title.includes(` ${database} `)) return 'postgres';
  // Backends show "postgres: <cluster>: <user> <database> <client> <state>"; background processes name no client.
  return /\d+\.\d+\.\d+\.\d+\(\d+\)|\[local\]/.test(title) ? undefined : 'postgres-bg';
}

/**
 * Cores each group used between two snapshots (1.0 = one full core), plus 'others': the machine's
 * busy time not accounted to any group (e.g. other people's test runs sharing the machine).
 */
export function cpuShares(before: Map<string, number>, after: Map<string, number>, seconds: number): Record<string, number> {
  const out: Record<string, number> = {};
  let ours = 0;
  for (const [group, total] of after) {
    const used = Math.max(0, total - (before.get(group) ?? 0));
    if (group !== 'machine') ours += used;
    out[group] = Math.round((used / seconds) * 100) / 100;
  }
  if (out.machine !== undefined) out.others = Math.round((Math.max(0, out.machine * seconds - ours) / seconds) * 100) / 100;
  return out;
}

/**
 * CHECKPOINT on the server before a measured phase, so that no phase pays for the dirty buffers and
 * WAL of the one before it (or of creating and dropping databases). Needs a superuser or
 * pg_checkpoint; returns the reason when the server refused.
 */
export async function checkpoint(adminUrl: string): Promise<string | undefined> {
  const c = new Client({ connectionString: adminUrl });
  await c.connect();
  try {
    await c.query('CHECKPOINT');
    return undefined;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await c.end();
  }
}

/** CPU accounting of one measurement window: pass `onWindow` to the load, read `shares()` afterwards. */
export function cpuWindow(pids: Record<string, number>, database: string): { onWindow: (edge: 'start' | 'end') => void; shares: () => Record<string, number> | undefined } {
  let before: Map<string, number> | undefined;
  let started = 0;
  let shares: Record<string, number> | undefined;
  return {
    onWindow: (edge) => {
      if (edge === 'start') {
        before = cpuSnapshot(pids, database);
        started = Date.now();
      } else if (before) {
        shares = cpuShares(before, cpuSnapshot(pids, database), (Date.now() - started) / 1000);
      }
    },
    shares: () => shares,
  };
}
