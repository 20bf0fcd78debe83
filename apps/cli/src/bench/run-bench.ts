import { AppConfig, loadConfig } from '@tongban/config';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runBarePipeline } from './bare-pipeline';
import { runGatewayLoad } from './gateway-load';
import { checkpoint, cpuWindow, createBenchDatabase, deleteAmqpTopology, temporaryPki } from './infra';
import { round, sleep } from './latency';
import { countLedgerEntries, formatPercent, LedgerCount, LedgerMode, ledgerPhases, LedgerState, percentChange, prepareLedgerSchema } from './ledger';
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
  /** Gateway phase with the exchange ledger's event triggers, without them, or both (default). */
  ledger?: LedgerMode;
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

interface GatewayPhase {
  ledger: LedgerState;
  result: PhaseResult;
  cpu?: Record<string, number>;
  /** ledger_entries in the phase's database when it ended. */
  ledgerCount?: LedgerCount;
}

interface Cleanup {
  what: string;
  run: () => Promise<void> | void;
  done?: boolean;
}

/**
 * Runs the whole benchmark and returns the exit code. Everything it creates (databases, broker
 * queues and exchanges, temporary PKI and data directories, child processes) is removed in the
 * end, also when a phase fails. The last line on stdout is the JSON summary.
 *
 * The gateway phase runs once per ledger state (`--ledger`: compare = off, then on), each on a fresh
 * database, broker prefix, data directory and gateway/worker processes, after a CHECKPOINT. The
 * bare pipeline then runs on the database of the last gateway phase (the normal schema in compare).
 */
export async function runBench(opts: BenchOptions): Promise<number> {
  const rootDir = repositoryRoot();
  const stamp = `${Date.now()}`;
  const dbBase = `tongban_bench_${stamp}`;
  const prefix = `tongban.bench.${stamp}`;
  const barePrefix = `${prefix}.bare`;
  const ledgerMode = opts.ledger ?? 'compare';
  const order = ledgerPhases(ledgerMode);
  const cleanups: Cleanup[] = [];
  const problems: string[] = [];
  const phases: GatewayPhase[] = [];
  let bare: PhaseResult | undefined;
  let bareCpu: Record<string, number> | undefined;
  let districts: string[] = [];
  let pairs: string[] = [];

  const addCleanup = (what: string, run: () => Promise<void> | void): Cleanup => {
    const c = { what, run };
    cleanups.push(c);
    return c;
  };
  // A broker or database that is restarting right now gets a few seconds to come back.
  const runCleanup = async (c: Cleanup): Promise<void> => {
    if (c.done) return;
    c.done = true;
    for (let attempt = 1; ; attempt++) {
      try {
        await c.run();
        return;
      } catch (error) {
        if (attempt < 4) {
          await sleep(3000);
          continue;
        }
        problems.push(`clean-up of ${c.what} failed: ${(error as Error).message}`);
        return;
      }
    }
  };

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
      addCleanup('temporary PKI', () => pki.remove());
      pkiDir = pki.dir;
    }
    const topologyOpts = { deliveryLimit: base.delivery.deliveryLimit, backoffSeconds: [...base.delivery.backoffSeconds] };
    const allIds = base.alliance.districts.map((d) => d.id);
    const common = {
      pkiDir,
      districts,
      pairs: chosen.pairs,
      concurrency: opts.concurrency,
      warmupS: opts.warmupS,
      durationS: opts.durationS,
      drainS: opts.drainS,
      idlePollMs: opts.idlePollMs,
      pullLimit: opts.pullLimit,
      stop: () => interrupted.value,
    };
    if (ledgerMode === 'compare') log(`ledger: the gateway phase runs ${order.map((s) => `ledger ${s}`).join(', then ')}, each on a fresh database`);

    // ---- the gateway, end to end, once per ledger state ----
    let last: { config: AppConfig; databaseUrl: string; dbName: string } | undefined;
    for (const [index, state] of order.entries()) {
      if (interrupted.value) break;
      const keep = index === order.length - 1; // the bare pipeline runs on the last phase's database
      const dbName = `${dbBase}_ledger_${state}`;
      const phasePrefix = `${prefix}.ledger-${state}`;
      const dataDir = mkdtempSync(join(tmpdir(), 'tongban-bench-data-'));
      const dataCleanup = addCleanup(`data directory ${dataDir}`, () => rmSync(dataDir, { recursive: true, force: true }));
      const database = await createBenchDatabase(opts.postgresAdminUrl, dbName);
      const dbCleanup = addCleanup(`database ${dbName}`, () => database.drop());
      const brokerCleanup = addCleanup(`broker names ${phasePrefix}.*`, () => deleteAmqpTopology(opts.amqpUrl, phasePrefix, allIds, topologyOpts));
      log(`ledger ${state}: database ${dbName}, broker prefix ${phasePrefix}`);
      await prepareLedgerSchema(database.url, dataDir, state);
      const refused = await checkpoint(opts.postgresAdminUrl);
      if (refused) log(`CHECKPOINT before the phase refused (${refused}); the phases may inherit each other's dirty buffers`);

      const env: Record<string, string> = {
        DATABASE_URL: database.url,
        AMQP_URL: opts.amqpUrl,
        PKI_DIR: pkiDir,
        DATA_DIR: dataDir,
        PARTNER_API_PORT: '0',
        OPS_API_PORT: '0',
        CONSOLE_API_PORT: '0',
        LOG_LEVEL: 'warn',
      };
      const config: AppConfig = loadConfig({ rootDir, env: { ...process.env, ...env } });
      log(`starting gateway and worker (${opts.topology === 'processes' ? 'two child processes' : 'inside this process'}), ledger ${state} …`);
      const stack = await startStack({ topology: opts.topology, rootDir, env, amqpPrefix: phasePrefix, profileDir: opts.profileDir });
      let phase: GatewayPhase;
      try {
        log(`load: ${opts.concurrency} submissions in flight, ${opts.warmupS} s warm-up, ${opts.durationS} s measured`);
        const window = cpuWindow(stack.pids, dbName);
        const tracker = await runGatewayLoad({ ...common, config, partnerUrl: stack.partnerUrl, label: `gateway ledger ${state}`, onWindow: window.onWindow });
        phase = { ledger: state, result: tracker.result(), cpu: window.shares() };
        phases.push(phase);
        problems.push(...stack.failures().map((f) => `ledger ${state}: ${f}`));
      } finally {
        await stack.stop();
      }
      phase.ledgerCount = await countLedgerEntries(database.url);
      if (keep) {
        last = { config, databaseUrl: database.url, dbName };
      } else {
        // Gone before the next phase, so that it shares the server with no leftover database or queues.
        for (const c of [brokerCleanup, dbCleanup, dataCleanup]) await runCleanup(c);
      }
    }

    // ---- the bare pipeline ----
    if (!opts.skipBare && !interrupted.value && last) {
      addCleanup(`broker names ${barePrefix}.*`, () => deleteAmqpTopology(opts.amqpUrl, barePrefix, districts, topologyOpts));
      log('bare pipeline: the same work without HTTP/TLS, NestJS, TypeORM or the bus abstraction, in this process …');
      const window = cpuWindow({ bench: process.pid }, last.dbName);
      const tracker = await runBarePipeline({
        ...common,
        config: last.config,
        rootDir,
        databaseUrl: last.databaseUrl,
        amqpUrl: opts.amqpUrl,
        amqpPrefix: barePrefix,
        poolSize: 20,
        onWindow: window.onWindow,
      });
      bare = tracker.result();
      bareCpu = window.shares();
    }
  } catch (error) {
    problems.push((error as Error).stack ?? String(error));
  } finally {
    for (const c of [...cleanups].reverse()) await runCleanup(c);
    process.off('SIGINT', onSigint);
    process.off('uncaughtException', onFatal);
    process.off('unhandledRejection', onFatal);
  }

  if (interrupted.value && !problems.some((p) => p.startsWith('unexpected failure'))) problems.push('interrupted');
  const main = phases.find((p) => p.ledger === order[order.length - 1]);
  const gateway = main?.result;
  const cpu = main?.cpu;
  const phaseName = (p: GatewayPhase) => (order.length > 1 || p.ledger === 'off' ? `gateway (ledger ${p.ledger})` : 'gateway');
  let errors = problems.length;
  for (const [name, phase] of [...phases.map((p) => [phaseName(p), p.result] as const), ['bare', bare] as const]) {
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
  const phaseSummary = (result: PhaseResult, cores: Record<string, number> | undefined) => ({
    ...result,
    errorSamples: undefined,
    cpuCores: cores,
    cpuMsPerHandoff: cpuMsPerHandoff(cores, result.handoffsPerSec),
  });
  const ledgerOf = (p: GatewayPhase) => ({
    ...phaseSummary(p.result, p.cpu),
    ledgerEntries: p.ledgerCount?.entries ?? null,
    ledgerEntriesPerHandoff: entriesPerHandoff(p),
    ledgerEntriesByKind: p.ledgerCount?.byKind,
  });
  const on = phases.find((p) => p.ledger === 'on');
  const off = phases.find((p) => p.ledger === 'off');
  const onVsOffPct =
    on && off
      ? {
          handoffsPerSec: percentChange(on.result.handoffsPerSec, off.result.handoffsPerSec),
          p50Ms: percentChange(on.result.p50Ms, off.result.p50Ms),
          p99Ms: percentChange(on.result.p99Ms, off.result.p99Ms),
          cpuMsPerHandoff: percentChange(cpuMsPerHandoff(on.cpu, on.result.handoffsPerSec), cpuMsPerHandoff(off.cpu, off.result.handoffsPerSec)),
        }
      : undefined;
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
    gateway: gateway && phaseSummary(gateway, cpu),
    bare: bare && phaseSummary(bare, bareCpu),
    ledger: {
      mode: ledgerMode,
      order,
      on: on && ledgerOf(on),
      off: off && ledgerOf(off),
      onVsOffPct,
    },
    problems: problems.length > 0 ? problems : undefined,
  };

  const lines = ['', `Tongban bench: ${districts.length} districts, ${pairs.length} directions, ${opts.concurrency} submissions in flight, ${opts.durationS} s measured after ${opts.warmupS} s warm-up`, `  topology: ${processes}`];
  if (order.length > 1) lines.push(`  ledger: gateway phase run ${order.map((s) => `ledger ${s}`).join(', then ')}; each on a fresh database, broker names and processes, after a CHECKPOINT, the same warm-up`);
  for (const p of phases) {
    const label = `  ${phaseName(p)}: `;
    const pad = ' '.repeat(label.length);
    const g = p.result;
    lines.push(
      `${label}${g.handoffsPerSec} hand-offs/s end to end (accepted ${g.acceptedPerSec}/s), latency p50 ${g.p50Ms} ms, p90 ${g.p90Ms} ms, p99 ${g.p99Ms} ms, max ${g.maxMs} ms (${g.latencySamples} samples)`,
      `${pad}${g.accepted} accepted, ${g.delivered} delivered, ${g.errors} errors, ${g.undelivered} undelivered`,
      `${pad}CPU (cores): ${formatCpu(p.cpu)}; ${cpuMsPerHandoff(p.cpu, g.handoffsPerSec) ?? 'n/a'} CPU ms per hand-off`,
      `${pad}target ${TARGET_HANDOFFS_PER_SEC}/s: ${g.handoffsPerSec >= TARGET_HANDOFFS_PER_SEC ? 'met' : 'NOT met'}`,
    );
  }
  if (on && off) lines.push(...comparisonLines(off, on));
  else if (on) lines.push(`  ledger on: ${entriesLine(on)}`);
  else if (off) lines.push(`  ledger off: ${off.ledgerCount?.entries ?? 'n/a'} ledger entries written (event triggers dropped)`);
  if (bare) {
    lines.push(
      `  bare:    ${bare.handoffsPerSec} hand-offs/s end to end (accepted ${bare.acceptedPerSec}/s), latency p50 ${bare.p50Ms} ms, p99 ${bare.p99Ms} ms`,
      `           CPU (cores): ${formatCpu(bareCpu)}; ${cpuMsPerHandoff(bareCpu, bare.handoffsPerSec) ?? 'n/a'} CPU ms per hand-off`,
      `  ratio ${main ? phaseName(main) : 'gateway'} ÷ bare: ${summary.ratio}`,
    );
  }
  for (const p of phases) {
    const w = contentionWarning(p.cpu);
    if (w) lines.push(`  ${phaseName(p)} phase ${w}`);
  }
  const bareWarning = contentionWarning(bareCpu);
  if (bareWarning) lines.push(`  bare phase ${bareWarning}`);
  for (const p of problems) lines.push(`  problem: ${p.split('\n')[0]}`);
  process.stdout.write(`${lines.join('\n')}\n${JSON.stringify(summary)}\n`);
  return problems.length > 0 || !gateway || (order.length > 1 && phases.length < order.length) ? 1 : 0;
}

function entriesPerHandoff(p: GatewayPhase): number | null {
  return p.ledgerCount && p.result.delivered > 0 ? round(p.ledgerCount.entries / p.result.delivered, 2) : null;
}

function entriesLine(p: GatewayPhase): string {
  if (!p.ledgerCount) return 'ledger entries not counted';
  const kinds = Object.entries(p.ledgerCount.byKind)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  return `${entriesPerHandoff(p) ?? 'n/a'} ledger entries per hand-off (${p.ledgerCount.entries} rows for ${p.result.delivered} hand-offs${kinds ? `: ${kinds}` : ''})`;
}

/** Both gateway phases side by side, and the ON phase's difference in percent. */
function comparisonLines(off: GatewayPhase, on: GatewayPhase): string[] {
  const row = (what: string, a: number | null | undefined, b: number | null | undefined, digits: number) =>
    `    ${what.padEnd(18)}${fmt(a, digits).padStart(10)}${fmt(b, digits).padStart(10)}${formatPercent(percentChange(b, a)).padStart(12)}`;
  const cpuOff = cpuMsPerHandoff(off.cpu, off.result.handoffsPerSec);
  const cpuOn = cpuMsPerHandoff(on.cpu, on.result.handoffsPerSec);
  return [
    `  ledger on vs off:   ${'off'.padStart(10)}${'on'.padStart(10)}${'on vs off'.padStart(12)}`,
    row('hand-offs/s', off.result.handoffsPerSec, on.result.handoffsPerSec, 1),
    row('latency p50 ms', off.result.p50Ms, on.result.p50Ms, 1),
    row('latency p99 ms', off.result.p99Ms, on.result.p99Ms, 1),
    row('CPU ms/hand-off', cpuOff, cpuOn, 2),
    `    ${'ledger entries'.padEnd(18)}${fmt(off.ledgerCount?.entries, 0).padStart(10)}${fmt(on.ledgerCount?.entries, 0).padStart(10)}`,
    `  ledger on: ${entriesLine(on)}`,
  ];
}

function fmt(value: number | null | undefined, digits: number): string {
  return value == null || !Number.isFinite(value) ? 'n/a' : value.toFixed(digits);
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
