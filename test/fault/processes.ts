import { ChildProcess, execFile, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, rmSync, WriteStream } from 'node:fs';
import * as net from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT_DIR } from '../support/harness';

const run = promisify(execFile);

/**
 * Real gateway and worker processes for the fault suites: the production entry points, built by the
 * project's own build command, started with environment variables only (as an operator would).
 */

/**
 * Builds with the exact `npm run build` command, but into a private directory under var/: other
 * sessions rebuild dist/ at any time, and a process starting while swc rewrites a file it requires
 * would load half a file. Node still resolves node_modules from the repository root.
 */
export async function buildApps(name: string): Promise<{ dir: string; remove(): void }> {
  const script = (JSON.parse(readFileSync(join(ROOT_DIR, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.build;
  if (!/ --out-dir dist( |$)/.test(script) || !script.startsWith('swc ')) throw new Error(`unexpected build script: ${script}`);
  const dir = join(ROOT_DIR, 'var', `fault-dist-${name}-${process.pid}-${Date.now().toString(36)}`);
  const args = script.replace(/ --out-dir dist( |$)/, ` --out-dir ${dir}$1`).split(' ').slice(1);
  await run(join(ROOT_DIR, 'node_modules', '.bin', 'swc'), args, { cwd: ROOT_DIR, timeout: 60_000 });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A port nobody listens on right now (the child binds it a moment later; a clash fails start-up loudly). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface LogLine {
  level?: number;
  msg?: string;
  [key: string]: unknown;
}

const live = new Set<ManagedProcess>();
// Never leave children behind, even when jest is torn down hard (--forceExit, a timeout, ^C).
process.once('exit', () => {
  for (const p of live) p.killNow();
});

/** One child process with its JSON log lines captured (in memory and in a file for post-mortems). */
export class ManagedProcess {
  readonly lines: LogLine[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;
  private readonly file: WriteStream;
  private readonly waiters = new Set<() => void>();
  exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;

  constructor(
    readonly name: string,
    script: string,
    env: Record<string, string>,
    readonly logFile: string,
  ) {
    this.file = createWriteStream(logFile, { flags: 'a' });
    this.child = spawn(process.execPath, [script], {
      cwd: ROOT_DIR,
      // Only what a deployment would set, on top of a clean PATH/HOME: no leaking of jest's own variables.
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    live.add(this);
    for (const [stream, tag] of [[this.child.stdout, 'out'], [this.child.stderr, 'err']] as const) {
      let buffered = '';
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        this.file.write(chunk);
        buffered += chunk;
        let nl: number;
        while ((nl = buffered.indexOf('\n')) >= 0) {
          const text = buffered.slice(0, nl);
          buffered = buffered.slice(nl + 1);
          this.record(text, tag);
        }
      });
    }
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        live.delete(this);
        this.file.end(`\n[${this.name} exited code=${code} signal=${signal}]\n`);
        for (const w of this.waiters) w();
        resolve({ code, signal });
      });
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  private record(text: string, tag: 'out' | 'err'): void {
    let line: LogLine;
    try {
      line = JSON.parse(text) as LogLine;
    } catch {
      line = { msg: text, stream: tag };
    }
    this.lines.push(line);
    for (const w of this.waiters) w();
  }

  /** Resolves with the first log line (already seen or future) that matches; rejects if the process exits first. */
  waitForLine(match: (line: LogLine) => boolean, timeoutMs: number, what: string): Promise<LogLine> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.lines.find(match);
        if (found) {
          finish();
          resolve(found);
          return true;
        }
        if (this.exit) {
          finish();
          reject(new Error(`${this.name} exited (${JSON.stringify(this.exit)}) before ${what}; last lines:\n${this.tail(15)}`));
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`${this.name}: no ${what} within ${timeoutMs} ms; last lines:\n${this.tail(15)}`));
      }, timeoutMs);
      const finish = (): void => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
      };
      const waiter = (): void => void check();
      if (check()) return;
      this.waiters.add(waiter);
    });
  }

  count(match: (line: LogLine) => boolean): number {
    return this.lines.filter(match).length;
  }

  tail(n: number): string {
    return this.lines
      .slice(-n)
      .map((l) => JSON.stringify(l).slice(0, 400))
      .join('\n');
  }

  /** The crash under test: SIGKILL, no shutdown hooks, sockets torn down by the kernel. */
  async kill9(): Promise<void> {
    this.killNow();
    await this.exited;
  }

  killNow(): void {
    if (this.exit) return;
    try {
      process.kill(this.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }

  /** Graceful stop (SIGTERM → the main's shutdown hook); SIGKILL after `graceMs`. Returns how it ended. */
  async stop(graceMs = 10_000): Promise<{ code: number | null; signal: NodeJS.Signals | null; graceful: boolean }> {
    if (this.exit) return { ...this.exit, graceful: false };
    try {
      process.kill(this.pid, 'SIGTERM');
    } catch {
      // already gone
    }
    let timer: NodeJS.Timeout | undefined;
    const result = await Promise.race([this.exited, new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), graceMs)))]);
    clearTimeout(timer);
    if (result) return { ...result, graceful: true };
    await this.kill9();
    return { ...this.exit!, graceful: false };
  }
}

export interface ProcessEnv {
  databaseUrl: string;
  amqpUrl: string;
  amqpPrefix: string;
  pkiDir: string;
  workDir: string;
}

export interface GatewayProcess extends ManagedProcess {
  partnerPort: number;
  opsPort: number;
}

/** Starts `node <dist>/apps/gateway/src/main.js` and waits for its "gateway listening" line. */
export async function startGateway(
  distDir: string,
  name: string,
  env: ProcessEnv,
  ports: { partner: number; ops: number },
  timeoutMs = 30_000,
): Promise<GatewayProcess> {
  const dataDir = join(env.workDir, `${name}-data`);
  mkdirSync(dataDir, { recursive: true });
  const p = new ManagedProcess(
    name,
    join(distDir, 'apps', 'gateway', 'src', 'main.js'),
    {
      DATABASE_URL: withApplicationName(env.databaseUrl, name),
      AMQP_URL: env.amqpUrl,
      AMQP_PREFIX: env.amqpPrefix,
      PARTNER_API_PORT: String(ports.partner),
      OPS_API_PORT: String(ports.ops),
      CONSOLE_API_PORT: '0',
      PKI_DIR: env.pkiDir,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      GATEWAY_ID: name,
    },
    join(env.workDir, `${name}.log`),
  ) as GatewayProcess;
  p.partnerPort = ports.partner;
  p.opsPort = ports.ops;
  await p.waitForLine((l) => l.msg === 'gateway listening', timeoutMs, '"gateway listening"');
  return p;
}

/** Starts `node <dist>/apps/worker/src/main.js` and waits for its "worker consuming" line. */
export async function startWorker(distDir: string, name: string, env: ProcessEnv, timeoutMs = 30_000): Promise<ManagedProcess> {
  const dataDir = join(env.workDir, `${name}-data`);
  mkdirSync(dataDir, { recursive: true });
  const p = new ManagedProcess(
    name,
    join(distDir, 'apps', 'worker', 'src', 'main.js'),
    {
      DATABASE_URL: withApplicationName(env.databaseUrl, name),
      AMQP_URL: env.amqpUrl,
      AMQP_PREFIX: env.amqpPrefix,
      // Validated by the shared config but unused: the worker listens on nothing.
      PARTNER_API_PORT: '0',
      OPS_API_PORT: '0',
      CONSOLE_API_PORT: '0',
      PKI_DIR: env.pkiDir,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
    },
    join(env.workDir, `${name}.log`),
  );
  await p.waitForLine((l) => l.msg === 'worker consuming', timeoutMs, '"worker consuming"');
  return p;
}

/**
 * Tags the process's PostgreSQL sessions (application_name), so the audit trigger can tell which
 * worker committed which delivery.
 */
export function withApplicationName(databaseUrl: string, name: string): string {
  const url = new URL(databaseUrl);
  url.searchParams.set('application_name', name);
  return url.toString();
}

/** The last log lines of each process, for a failing test's message. */
export function postMortem(processes: ManagedProcess[], n = 8): string {
  return processes.map((p) => `--- ${p.name} (pid ${p.pid}, ${p.exit ? `exited ${JSON.stringify(p.exit)}` : 'running'}; ${p.logFile})\n${p.tail(n)}`).join('\n');
}
