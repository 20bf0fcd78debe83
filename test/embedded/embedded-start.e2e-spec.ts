import { ChildProcess, execFile, execSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT_DIR, eventually } from '../support/harness';

const run = promisify(execFile);
const CLI = join(ROOT_DIR, 'dist', 'apps', 'cli', 'src', 'main.js');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * What a newcomer gets from `npm start` with nothing but Node: the built CLI on embedded PGlite and the
 * in-process transport, a development PKI issued on first run, and a hand-off done with the CLI.
 */
describe('tongban start on embedded defaults', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let child: ChildProcess | undefined;
  let output = '';

  beforeAll(async () => {
    execSync('npm run --silent build', { cwd: ROOT_DIR, stdio: 'inherit' });
    dir = mkdtempSync(join(tmpdir(), 'tongban-embedded-'));
    env = { ...process.env, DATA_DIR: join(dir, 'var'), PKI_DIR: join(dir, 'var', 'pki'), PARTNER_API_PORT: String(await freePort()), OPS_API_PORT: String(await freePort()), CONSOLE_API_PORT: String(await freePort()), LOG_LEVEL: 'info' };
    delete env.DATABASE_URL;
    delete env.AMQP_URL;
  });

  afterAll(() => {
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  async function start(): Promise<void> {
    output = '';
    child = spawn(process.execPath, [CLI, 'start'], { cwd: ROOT_DIR, env });
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    await eventually(async () => (output.includes('gateway is running') ? true : undefined), 60_000, 100);
  }

  async function stop(): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    child!.kill('SIGTERM');
    const code = await exited;
    child = undefined;
    return code;
  }

  const cli = (...args: string[]) => run(process.execPath, [CLI, ...args], { cwd: ROOT_DIR, env });

  it('starts, says it runs on embedded defaults, and carries a hand-off made with the CLI', async () => {
    await start();
    expect(output).toContain('running on embedded defaults');
    expect(output).toContain('issued a development PKI');
    expect(output).toContain(`https://127.0.0.1:${env.PARTNER_API_PORT}`);

    const ready = await fetch(`http://127.0.0.1:${env.OPS_API_PORT}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'up', checks: { database: { up: true }, broker: { up: true, kind: 'in-process' } } });

    const sent = await cli('send', '--from', 'HZ-ZHONGKAI', '--to', '440303');
    const receipt = JSON.parse(sent.stdout) as { status: number; messageId: string; caseNumber: string };
    expect(receipt.status).toBe(202);

    const inbox = await eventually(async () => {
      const r = await cli('inbox', '--as', '440303', '--ack');
      return r.stdout.includes(receipt.messageId) ? r.stdout : undefined;
    });
    expect(inbox).toContain('签收');
    expect(inbox).toContain('HTTP 202');
    const back = await eventually(async () => {
      const r = await cli('inbox', '--as', 'HZ-ZHONGKAI', '--ack');
      return r.stdout.includes('case.acknowledgement') ? r.stdout : undefined;
    });
    expect(back).toContain(receipt.caseNumber);

    // `tongban demo` walks a whole case on the same running gateway.
    const demo = await cli('demo');
    expect(demo.stdout).toContain('→ DELIVERED');
    expect(demo.stdout).toContain('done:');

    expect(await stop()).toBe(0);

    // The embedded database keeps its data across restarts, and the PKI is not issued again.
    await start();
    expect(output).not.toContain('issued a development PKI');
    const again = await cli('send', '--from', '440303', '--to', 'HZ-ZHONGKAI');
    expect(JSON.parse(again.stdout).status).toBe(202);
    const inboxAfter = await cli('inbox', '--as', 'HZ-ZHONGKAI');
    expect(inboxAfter.stdout).toContain('case.submission');
    expect(await stop()).toBe(0);
  }, 120_000);

  it('answers --help, and exits 2 on a usage or configuration error', async () => {
    const help = await cli('--help');
    expect(help.stdout).toContain('start');
    expect(help.stdout).toContain('pki');
    const unknown = await cli('no-such-command').catch((e: { code: number }) => e);
    expect((unknown as { code: number }).code).toBe(2);
    const badConfig = await run(process.execPath, [CLI, 'send', '--from', 'HZ-ZHONGKAI', '--to', '440303'], {
      cwd: ROOT_DIR,
      env: { ...env, PARTNER_API_PORT: '80a' },
    }).catch((e: { code: number; stderr: string }) => e);
    expect((badConfig as { code: number }).code).toBe(2);
    expect((badConfig as { stderr: string }).stderr).toContain('PARTNER_API_PORT');
  });
});
