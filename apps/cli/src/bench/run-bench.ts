import { AppConfig, loadConfig } from '@tongban/config';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runBarePipeline } from './bare-pipeline';
import { runGatewayLoad } from './gateway-load';
import { createBenchDatabase, cpuShares, cpuSnapshot, deleteAmqpTopology, temporaryPki } from './infra';
import { round, sleep } from './latency';
import { startStack, Topology } from './stack';
import type { PhaseResult } from './tracker';
import { chooseTraffic } from './traffic';

export interface BenchOptions {
  durationS: number;
  warmupS: number;
  concurrency: number;
  districts: number;
  skipBare: boolean;
  topology: Topology;
  drainS: number;
  pullLimit: number;
  idlePollMs: number;
  /** Admin URL: the bench creates and drops its own database through it. */
  postgresAdminUrl: string;
  amqpUrl: string;
  /** Use this PKI directory instead of issuing a temporary one. */
  pkiDir?: string;
  profileDir?: string;
}

/** The sustained rate the gateway must reach on the 2-core reference machine (issue 2, point 15). */
export const TARGET_HANDOFFS_PER_SEC = 500;

const log = (line: string): void => void process.stderr.write(`${line}\n`);

/** dist/apps/cli/src/bench or apps/cli/src/bench → the repository root (where config/ and contracts/ are). */
export function repositoryRoot(): string {
  for (const candidate of [resolve(__dirname, '..', '..', '..', '..', '..'), resolve(__dirname, '..', '..', '..', '..'), process.cwd()]) {
    if (existsSync(join(candidate, 'config', 'gateway.json')) && existsSync(join(candidate, 'contracts'))) return candidate;
  }
  throw new Error('cannot find the repository root (config/gateway.json and contracts/)');
}

/**
 * Runs the whole benchmark and returns the exit code. Everything it creates (database, broker
 * queues and exchanges, temporary PKI and data directories, child processes) is removed in the
 * end, also when a phase fails. The last line on stdout is the JSON summary.
 */
export async function runBench(opts: BenchOptions): Promise<number> {
  const rootDir = repositoryRoot();
  const stamp = `${Date.now()}`;
  const dbName = `tongban_bench_${stamp}`;
  const prefix = `tongban.bench.${stamp}`;
  const barePrefix = `${prefix}.bare`;
  const cleanups: Array<{ what: string; run: () => Promise<void> | void }> = [];
  const problems: string[] = [];
  let gateway: PhaseResult | undefined;
  let bare: PhaseResult | undefined;
  let cpu: Record<string, number> | undefined;
  let bareCpu: Record<string, number> | undefined;
  let districts: string[] = [];
  let pairs: string[] = [];

  // Ctrl-C: stop the load early, clean up, report what was measured.
  const interrupted = { value: false };
  const onSigint = () => {
    if (interrupted.value) process.exit(130);
    interrupted.value = true;
    log('interrupted: stopping and cleaning up (Ctrl-C again to abandon the clean-up)');
  };
  process.on('SIGINT', onSigint);
  // A crash inside a phase must not skip the clean-up: record it and stop the load instead.
  const onFatal = (error: unknown) => {
    problems.push(`unexpected failure: ${(error as Error)?.stack ?? String(error)}`);
    interrupted.value = true;
  };
  process.on('uncaughtException', onFatal);
  process.on('unhandledRejection', onFatal);

  try {
    const base = loadConfig({ rootDir });
    const chosen = chooseTraffic(base, opts.districts);
    districts = chosen.districts;
    pairs = chosen.pairs.map((p) => `${p.from}->${p.to}`);
    if (chosen.districts.length < opts.districts) throw new Error(`the alliance has only ${chosen.districts.length} districts that pull their inbox`);
    log(`districts: ${districts.join(', ')}; ${pairs.length} directions with agreements: ${pairs.join(' ')}`);

    let pkiDir = opts.pkiDir;
    if (!pkiDir) {
      log('issuing a temporary development PKI …');
      const pki = await temporaryPki(base.alliance.districts.map((d) => ({ id: d.id, name: d.name, uscc: d.serviceCentreUscc })));
      cleanups.push({ what: 'temporary PKI', run: () => pki.remove() });
      pkiDir = pki.dir;
    }
    const dataDir = mkdtempSync(join(tmpdir(), 'tongban-bench-data-'));
    cleanups.push({ what: 'data directory', run: () => rmSync(dataDir, { recursive: true, force: true }) });

    const database = await createBenchDatabase(opts.postgresAdminUrl, dbName);
    cleanups.push({ what: `database ${dbName}`, run: () => database.drop() });
    const topologyOpts = { deliveryLimit: base.delivery.deliveryLimit, backoffSeconds: [...base.delivery.backoffSeconds] };
    const allIds = base.alliance.districts.map((d) => d.id);
    cleanups.push({ what: `broker names ${prefix}.*`, run: () => deleteAmqpTopology(opts.amqpUrl, prefix, allIds, topologyOpts) });
    log(`database ${dbName}, broker prefix ${prefix}`);

    const env: Record<string, string> = {
      DATABASE_URL: database.url,
      AMQP_URL: opts.amqpUrl,
      PKI_DIR: pkiDir,
      DATA_DIR: dataDir,
      PARTNER_API_PORT: '0',
      OPS_API_PORT: '0',
      LOG_LEVEL: 'warn',
    };
    const config: AppConfig = loadConfig({ rootDir, env: { ...process.env, ...env } });

    // ---- the gateway, end to end ----
    log(`starting gateway and worker (${opts.topology === 'processes' ? 'two child processes' : 'inside this process'}) …`);
    const stack = await startStack({ topology: opts.topology, rootDir, env, amqpPrefix: prefix, profileDir: opts.profileDir });
    let cpuBefore: Map<string, number> | undefined;
    let windowStarted = 0;
    try {
      log(`load: ${opts.concurrency} submissions in flight, ${opts.warmupS} s warm-up, ${opts.durationS} s measured`);
      const tracker = await runGatewayLoad({
        config,
        pkiDir,
        partnerUrl: stack.partnerUrl,
        districts,
        pairs: chosen.pairs,
        concurrency: opts.concurrency,
        warmupS: opts.warmupS,
        durationS: opts.durationS,
        drainS: opts.drainS,
        idlePollMs: opts.idlePollMs,
        pullLimit: opts.pullLimit,
        stop: () => interrupted.value,
        onWindow: (edge) => {
          if (edge === 'start') {
            cpuBefore = cpuSnapshot(stack.pids, dbName);
            windowStarted = Date.now();
          } else if (cpuBefore) {
            cpu = cpuShares(cpuBefore, cpuSnapshot(stack.pids, dbName), (Date.now() - windowStarted) / 1000);
          }
        },
      });
      gateway = tracker.result();
      problems.push(...stack.failures());
    } finally {
      await stack.stop();
    }

    // ---- the bare pipeline ----
    if (!opts.skipBare && !interrupted.value) {
      cleanups.push({ what: `broker names ${barePrefix}.*`, run: () => deleteAmqpTopology(opts.amqpUrl, barePrefix, districts, topologyOpts) });
      log('bare pipeline: the same work without HTTP/TLS, NestJS, TypeORM or the bus abstraction, in this process …');
      let bareBefore: Map<string, number> | undefined;
      let bareStarted = 0;
      const tracker = await runBarePipeline({
        config,
        rootDir,
        pkiDir,
        databaseUrl: database.url,
        amqpUrl: opts.amqpUrl,
        amqpPrefix: barePrefix,
        districts,
        pairs: chosen.pairs,
        concurrency: opts.concurrency,
        warmupS: opts.warmupS,
        durationS: opts.durationS,
        drainS: opts.drainS,
        idlePollMs: opts.idlePollMs,
        pullLimit: opts.pullLimit,
        poolSize: 20,
        stop: () => interrupted.value,
        onWindow: (edge) => {
          if (edge === 'start') {
            bareBefore = cpuSnapshot({ bench: process.pid }, dbName);
            bareStarted = Date.now();
          } else if (bareBefore) {
            bareCpu = cpuShares(bareBefore, cpuSnapshot({ bench: process.pid }, dbName), (Date.now() - bareStarted) / 1000);
          }
        },
      });
      bare = tracker.result();
    }
  } catch (error) {
    problems.push((error as Error).stack ?? String(error));
  } finally {
    for (const c of cleanups.reverse()) {
      // A broker or database that is restarting right now gets a few seconds to come back.
      for (let attempt = 1; ; attempt++) {
        try {
          await c.run();
          break;
        } catch (error) {
          if (attempt < 4) {
            await sleep(3000);
            continue;
          }
          problems.push(`clean-up of ${c.what} failed: ${(error as Error).message}`);
          break;
        }
      }
    }
    process.off('SIGINT', onSigint);
    process.off('uncaughtException', onFatal);
    process.off('unhandledRejection', onFatal);
  }

  if (interrupted.value && !problems.some((p) => p.startsWith('unexpected failure'))) problems.push('interrupted');
  let errors = problems.length;
  for (const [name, phase] of [['gateway', gateway], ['bare', bare]] as const) {
    if (!phase) continue;
    errors += phase.errors + phase.undelivered + phase.duplicates;
    if (phase.errors > 0) problems.push(`${name}: ${phase.errors} errors (${phase.errorSamples.slice(0, 5).join('; ')})`);
    if (phase.undelivered > 0) problems.push(`${name}: ${phase.undelivered} accepted messages never reached their recipient within the ${opts.drainS} s drain`);
    if (phase.duplicates > 0) problems.push(`${name}: ${phase.duplicates} messages were pulled again after their acknowledgement`);
  }

  const processes =
    opts.topology === 'processes'
      ? 'gateway and worker as two child processes (node dist/apps/{gateway,worker}/src/main.js); load generator and recipients in the bench process'
      : 'gateway, worker, load generator and recipients in one process and event loop';
  const summary = {
    handoffsPerSec: gateway?.handoffsPerSec ?? null,
    p50Ms: gateway?.p50Ms ?? null,
    p99Ms: gateway?.p99Ms ?? null,
    bareHandoffsPerSec: bare?.handoffsPerSec ?? null,
    ratio: gateway && bare && bare.handoffsPerSec > 0 ? round(gateway.handoffsPerSec / bare.handoffsPerSec, 2) : null,
    errors,
    meetsTarget: gateway ? gateway.handoffsPerSec >= TARGET_HANDOFFS_PER_SEC : false,
    target: TARGET_HANDOFFS_PER_SEC,
    durationS: opts.durationS,
    warmupS: opts.warmupS,
    concurrency: opts.concurrency,
    districts: districts.length,
    directions: pairs.length,
    topology: opts.topology,
    processes,
    gateway: gateway && { ...gateway, errorSamples: undefined, cpuCores: cpu, cpuMsPerHandoff: cpuMsPerHandoff(cpu, gateway.handoffsPerSec) },
    bare: bare && { ...bare, errorSamples: undefined, cpuCores: bareCpu, cpuMsPerHandoff: cpuMsPerHandoff(bareCpu, bare.handoffsPerSec) },
    problems: problems.length > 0 ? problems : undefined,
  };

  const lines = ['', `Tongban bench: ${districts.length} districts, ${pairs.length} directions, ${opts.concurrency} submissions in flight, ${opts.durationS} s measured after ${opts.warmupS} s warm-up`, `  topology: ${processes}`];
  if (gateway) {
    lines.push(
      `  gateway: ${gateway.handoffsPerSec} hand-offs/s end to end (accepted ${gateway.acceptedPerSec}/s), latency p50 ${gateway.p50Ms} ms, p90 ${gateway.p90Ms} ms, p99 ${gateway.p99Ms} ms, max ${gateway.maxMs} ms (${gateway.latencySamples} samples)`,
      `           ${gateway.accepted} accepted, ${gateway.delivered} delivered, ${gateway.errors} errors, ${gateway.undelivered} undelivered`,
      `           CPU (cores): ${formatCpu(cpu)}; ${cpuMsPerHandoff(cpu, gateway.handoffsPerSec) ?? 'n/a'} CPU ms per hand-off`,
      `           target ${TARGET_HANDOFFS_PER_SEC}/s: ${summary.meetsTarget ? 'met' : 'NOT met'}`,
    );
  }
  if (bare) {
    lines.push(
      `  bare:    ${bare.handoffsPerSec} hand-offs/s end to end (accepted ${bare.acceptedPerSec}/s), latency p50 ${bare.p50Ms} ms, p99 ${bare.p99Ms} ms`,
      `           CPU (cores): ${formatCpu(bareCpu)}; ${cpuMsPerHandoff(bareCpu, bare.handoffsPerSec) ?? 'n/a'} CPU ms per hand-off`,
      `  ratio gateway ÷ bare: ${summary.ratio}`,
    );
  }
  for (const [phase, w] of [['gateway', contentionWarning(cpu)], ['bare', contentionWarning(bareCpu)]]) if (w) lines.push(`  ${phase} phase ${w}`);
  for (const p of problems) lines.push(`  problem: ${p.split('\n')[0]}`);
  process.stdout.write(`${lines.join('\n')}\n${JSON.stringify(summary)}\n`);
  return problems.length > 0 || !gateway ? 1 : 0;
}

function formatCpu(cpu: Record<string, number> | undefined): string {
  if (!cpu) return 'n/a';
  const parts = Object.entries(cpu)
    .filter(([k]) => k !== 'machine' && k !== 'others')
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${v.toFixed(2)}`);
  if (cpu.others !== undefined) parts.push(`other processes ${cpu.others.toFixed(2)}`);
  return parts.join(', ');
}

/** CPU milliseconds the pipeline (bench, gateway, worker, PostgreSQL, RabbitMQ) spent per hand-off. */
function cpuMsPerHandoff(cpu: Record<string, number> | undefined, rate: number): number | undefined {
  if (!cpu || rate <= 0) return undefined;
  const cores = Object.entries(cpu)
    .filter(([k]) => k !== 'machine' && k !== 'others')
    .reduce((sum, [, v]) => sum + v, 0);
  return round((cores * 1000) / rate, 2);
}

/** Other processes took CPU the run needed: the figures understate what the machine can do. */
function contentionWarning(cpu: Record<string, number> | undefined): string | undefined {
  if (!cpu || cpu.others === undefined || cpu.others < 0.2) return undefined;
  return `warning: other processes used ${cpu.others.toFixed(2)} of the machine's cores during the measurement; the figures understate what the pipeline can do on an idle machine`;
}
