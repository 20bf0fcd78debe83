import { bootstrapGateway } from '@tongban/app-gateway';
import { bootstrapWorker } from '@tongban/app-worker';
import { loadConfig } from '@tongban/config';
import { createRuntime } from '@tongban/runtime';
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import pino from 'pino';

export type Topology = 'processes' | 'in-process';

export interface StackOptions {
  topology: Topology;
  rootDir: string;
  /** Environment of gateway and worker: DATABASE_URL, AMQP_URL, PKI_DIR, DATA_DIR, ports 0, LOG_LEVEL. */
  env: Record<string, string>;
  amqpPrefix: string;
  /** Directory for `node --cpu-prof` profiles of the gateway and worker processes. */
  profileDir?: string;
}

export interface RunningStack {
  partnerUrl: string;
  /** pid per role, for CPU accounting; in-process both are the bench's own pid. */
  pids: Record<string, number>;
  /** Processes that died while the bench ran. */
  failures(): string[];
  stop(): Promise<void>;
}

export async function startStack(opts: StackOptions): Promise<RunningStack> {
  return opts.topology === 'processes' ? startProcesses(opts) : startInProcess(opts);
}

/** Gateway and worker in the bench's own process and event loop (what test/support/harness.ts does). */
async function startInProcess(opts: StackOptions): Promise<RunningStack> {
  const config = loadConfig({ rootDir: opts.rootDir, env: opts.env });
  const runtime = await createRuntime(config, { rootDir: opts.rootDir, amqpPrefix: opts.amqpPrefix, logger: pino({ level: opts.env.LOG_LEVEL ?? 'warn' }) });
  const gateway = await bootstrapGateway(runtime);
  const worker = await bootstrapWorker(runtime);
  return {
    partnerUrl: gateway.partnerUrl,
    pids: { bench: process.pid },
    failures: () => [],
    stop: async () => {
      await worker.close();
      await gateway.close();
      await runtime.close();
    },
  };
}

/**
 * One gateway process and one worker process, started exactly as production starts them
 * (`node dist/apps/gateway/src/main.js`, `node dist/apps/worker/src/main.js`, configured by the
 * environment, AMQP_PREFIX isolating the bench's broker names). They log JSON on stdout at info
 * level: the start-up lines tell the partner URL and readiness; warnings and errors are passed on to
 * stderr. A child that dies during the run is reported as an error.
 */
async function startProcesses(opts: StackOptions): Promise<RunningStack> {
  const entries = {
    gateway: join(opts.rootDir, 'dist', 'apps', 'gateway', 'src', 'main.js'),
    worker: join(opts.rootDir, 'dist', 'apps', 'worker', 'src', 'main.js'),
  };
  for (const entry of Object.values(entries)) {
    if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first (npm run bench does)`);
  }
  if (opts.profileDir) mkdirSync(opts.profileDir, { recursive: true });
  const children: ChildProcess[] = [];
  const failures: string[] = [];
  let stopping = false;

  const spawnRole = (role: 'gateway' | 'worker', readyMsg: string): Promise<{ child: ChildProcess; line: Record<string, unknown> }> => {
    const execArgv = opts.profileDir ? ['--cpu-prof', '--cpu-prof-dir', opts.profileDir, '--cpu-prof-name', `${role}.${process.pid}.cpuprofile`] : [];
    const child = spawn(process.execPath, [...execArgv, entries[role]], {
      cwd: opts.rootDir,
      env: { ...process.env, ...opts.env, LOG_LEVEL: 'info', AMQP_PREFIX: opts.amqpPrefix },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${role} did not become ready within 60 s`)), 60_000);
      createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (text) => {
        let line: Record<string, unknown>;
        try {
          line = JSON.parse(text) as Record<string, unknown>;
        } catch {
          process.stderr.write(`[${role}] ${text}\n`);
          return;
        }
        if (line.msg === readyMsg) {
          clearTimeout(timer);
          resolve({ child, line });
        } else if (typeof line.level === 'number' && line.level >= 40) {
          process.stderr.write(`[${role}] ${text}\n`);
        } else if (typeof line.level === 'string' && line.level !== 'info' && line.level !== 'debug') {
          process.stderr.write(`[${role}] ${text}\n`);
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        if (!stopping) failures.push(`${role} exited unexpectedly (${signal ?? `code ${code}`})`);
        reject(new Error(`${role} exited with ${signal ?? `code ${code}`} before it was ready`));
      });
    });
  };

  const stop = async (): Promise<void> => {
    stopping = true;
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
            child.once('exit', () => {
              clearTimeout(kill);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
  };
  try {
    // The gateway first: it runs the migrations, so the worker does not wait on the migration lock.
    const gateway = await spawnRole('gateway', 'gateway listening');
    const worker = await spawnRole('worker', 'worker consuming');
    const partnerUrl = gateway.line.partnerUrl;
    if (typeof partnerUrl !== 'string') throw new Error('the gateway did not log its partner URL');
    return {
      partnerUrl,
      pids: { gateway: gateway.child.pid ?? -1, worker: worker.child.pid ?? -1, bench: process.pid },
      failures: () => [...failures],
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
