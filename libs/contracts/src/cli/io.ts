import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** Everything the CLI touches outside itself, so that tests run it in-process. */
export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  readStdin(): Promise<string>;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
}

export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    cwd: process.cwd(),
    env: process.env,
  };
}

/** Thrown by a command to end the CLI with an exit code (after writing what it had to say). */
export class CliExit extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
    this.name = 'CliExit';
  }
}

/** Colours only for a terminal: never in files, pipes or CI logs, unless FORCE_COLOR asks; NO_COLOR wins. */
export function useColor(stream: OutputStream, env: CliIo['env']): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

let cachedVersion: string | undefined;

/** The version of @tongban/contracts, from its package.json (libs/contracts/ in the repo). */
export function toolVersion(): string {
  if (cachedVersion === undefined) {
    cachedVersion = '0.0.0';
    for (let dir = __dirname; dirname(dir) !== dir; dir = dirname(dir)) {
      const file = join(dir, 'package.json');
      if (!existsSync(file)) continue;
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === '@tongban/contracts' && pkg.version) {
        cachedVersion = pkg.version;
        break;
      }
      if (existsSync(join(dir, 'libs', 'contracts', 'package.json'))) {
        const lib = JSON.parse(readFileSync(join(dir, 'libs', 'contracts', 'package.json'), 'utf8')) as { version?: string };
        cachedVersion = lib.version ?? cachedVersion;
        break;
      }
    }
  }
  return cachedVersion;
}
