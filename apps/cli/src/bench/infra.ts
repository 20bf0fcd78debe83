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

/** CPU seconds (user + system) of a process from /proc; undefined where /proc is not there. */
export function processCpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm may contain spaces: fields start after the closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

const CLOCK_TICKS = 100;

/** CPU seconds used so far by every process, grouped: our own pids by role, the rest by command name. */
export function cpuSnapshot(roles: Record<string, number>): Map<string, number> {
  const byPid = new Map<number, string>(Object.entries(roles).map(([role, pid]) => [pid, role]));
  const totals = new Map<string, number>();
  if (!existsSync('/proc/self/stat')) return totals;
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
    const group = byPid.get(pid) ?? (comm === 'postgres' ? 'postgres' : comm === 'beam.smp' || comm.startsWith('erl') ? 'rabbitmq' : 'other');
    totals.set(group, (totals.get(group) ?? 0) + seconds);
  }
  return totals;
}

/** Share of one core each group used between two snapshots (1.0 = one full core). */
export function cpuShares(before: Map<string, number>, after: Map<string, number>, seconds: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [group, total] of after) {
    const used = total - (before.get(group) ?? 0);
    if (used > 0) out[group] = Math.round((used / seconds) * 100) / 100;
  }
  return out;
}
