// The published @tongban/contracts on its own: `npm run contracts:pack`, then `npm install` of the
// tarball into an empty folder outside the monorepo (the npm registry provides its dependencies),
// then its `tongban-contracts` bin and its library, with nothing else of this repository in reach.
// Needs no services.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const SETUP_TIMEOUT = 240_000;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

interface InvalidExample {
  breaks: string;
  expectedPointer: string;
  payload: unknown;
}

interface FileReport {
  file: string;
  kind?: string;
  contract: { id: string; version: string } | null;
  valid: boolean;
  violations: Array<{ pointer: string; message: string; keyword: string; target: string; line?: number }>;
  error?: string;
}

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');

/** RFC 8785 for the plain JSON of the examples (strings, integers, objects, arrays). */
const canonical = (value: unknown): string =>
  Array.isArray(value)
    ? `[${value.map(canonical).join(',')}]`
    : typeof value === 'object' && value !== null
      ? `{${Object.keys(value)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
          .join(',')}}`
      : JSON.stringify(value);

describe('@tongban/contracts, packed and installed on its own', () => {
  let work: string;
  let pkgDir: string;
  let tarball: string;

  const bin = (args: string[], input?: string): Run => {
    const run = spawnSync(join(work, 'node_modules', '.bin', 'tongban-contracts'), args, {
      cwd: work,
      input,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
    });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
  };
  const versionDirs = (): Array<{ id: string; version: string; dir: string }> =>
    readdirSync(join(pkgDir, 'contracts'), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .flatMap((d) =>
        readdirSync(join(pkgDir, 'contracts', d.name), { withFileTypes: true })
          .filter((v) => v.isDirectory())
          .map((v) => ({ id: d.name, version: v.name, dir: join(pkgDir, 'contracts', d.name, v.name) })),
      );
  const examples = (dir: string, kind: 'valid' | 'invalid'): string[] =>
    readdirSync(join(dir, 'examples', kind))
      .filter((f) => f.endsWith('.json'))
      .map((f) => join(dir, 'examples', kind, f));

  beforeAll(() => {
    const packed = execFileSync('npm', ['run', '--silent', 'contracts:pack'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    tarball = /contracts:pack: wrote (\S+\.tgz)/.exec(packed)?.[1] as string;
    expect(existsSync(tarball)).toBe(true);
    // Outside the repository: node resolution cannot climb into the monorepo's node_modules.
    work = mkdtempSync(join(tmpdir(), 'tongban-contracts-integrator-'));
    writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'integrator-ci', version: '1.0.0', private: true }));
    execFileSync('npm', ['install', tarball, '--no-audit', '--no-fund'], { cwd: work, stdio: ['ignore', 'ignore', 'inherit'] });
    pkgDir = join(work, 'node_modules', '@tongban', 'contracts');
  }, SETUP_TIMEOUT);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('ships schemas, examples, precompiled validators, types, the library and the CLI, and nothing of the monorepo', () => {
    for (const file of ['package.json', 'README.md', 'lib/index.js', 'lib/index.d.ts', 'lib/cli/bin.js', 'lib/generated/validators.js', 'lib/generated/types/index.d.ts']) {
      expect([file, existsSync(join(pkgDir, file))]).toEqual([file, true]);
    }
    expect(versionDirs().length).toBeGreaterThan(0);
    for (const { dir } of versionDirs()) {
      expect(existsSync(join(dir, 'schema.json'))).toBe(true);
      expect(examples(dir, 'valid').length).toBeGreaterThan(0);
    }
    const libFiles = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? libFiles(join(dir, e.name)) : [join(dir, e.name)]));
    const lib = libFiles(join(pkgDir, 'lib'));
    expect(lib.filter((f) => /\.spec\.|\.tmp\./.test(f))).toEqual([]);
    expect(lib.filter((f) => /(require\(|from )["']@tongban\//.test(readFileSync(f, 'utf8')))).toEqual([]);
    // The schemas shipped are the repository's, byte for byte.
    const digest = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');
    for (const { id, version, dir } of versionDirs()) expect(digest(join(dir, 'schema.json'))).toBe(digest(join(ROOT, 'contracts', id, version, 'schema.json')));
  });

  it('--version, --help, list', () => {
    expect(bin(['--version'])).toMatchObject({ status: 0, stdout: '1.0.0\n' });
    for (const command of ['validate', 'example', 'list']) expect(bin([command, '--help'])).toMatchObject({ status: 0, stdout: expect.stringContaining(`Usage: tongban-contracts ${command}`) });
    const list = bin(['list']);
    expect(list.status).toBe(0);
    for (const { id } of versionDirs()) expect(list.stdout).toContain(id);
  });

  it('accepts every valid example of every contract version (exit 0)', () => {
    for (const { id, version, dir } of versionDirs()) {
      const run = bin(['validate', '--contract', `${id}@${version}`, ...examples(dir, 'valid')]);
      expect([`${id}@${version}`, run.status, run.stderr]).toEqual([`${id}@${version}`, 0, '']);
      expect(run.stdout).toMatch(/: \d+ valid, 0 invalid/);
    }
  });

  it('refuses every invalid example at the pointer it states (exit 1), in JSON and SARIF', () => {
    const payloads = join(work, 'invalid');
    for (const { id, version, dir } of versionDirs()) {
      const expected = new Map<string, string>();
      const target = join(payloads, id, version);
      mkdirSync(target, { recursive: true });
      for (const file of examples(dir, 'invalid')) {
        const example = JSON.parse(readFileSync(file, 'utf8')) as InvalidExample;
        const name = `invalid/${id}/${version}/${file.split('/').pop() as string}`;
        writeFileSync(join(work, name), JSON.stringify(example.payload, null, 2));
        expected.set(name, example.expectedPointer);
      }
      const run = bin(['validate', '--format', 'json', '--contract', `${id}@${version}`, `invalid/${id}/${version}/*.json`]);
      expect(run.status).toBe(1);
      const reports = JSON.parse(run.stdout) as FileReport[];
      expect(reports.map((r) => r.file).sort()).toEqual([...expected.keys()].sort());
      for (const report of reports) {
        expect(report.valid).toBe(false);
        expect(report.violations.map((v) => v.pointer)).toContain(expected.get(report.file));
      }
      const sarif = JSON.parse(bin(['validate', '--format', 'sarif', '--contract', `${id}@${version}`, `invalid/${id}/${version}/*.json`]).stdout) as {
        version: string;
        runs: Array<{ results: Array<{ locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }> }>;
      };
      expect(sarif.version).toBe('2.1.0');
      const uris = new Set(sarif.runs[0].results.map((r) => r.locations[0].physicalLocation.artifactLocation.uri));
      expect([...uris].sort()).toEqual([...expected.keys()].sort());
    }
  });

  it('validates JWS envelopes by their ctr header, from files and stdin', () => {
    const body = JSON.parse(bin(['example', 'case.submission@1.0.0', '--envelope']).stdout) as Record<string, unknown>;
    const jws = (payload: unknown): string =>
      `${b64(JSON.stringify({ alg: 'ES256', kid: 'k1', typ: 'tongban-envelope+jws', ctr: 'case-submission@1.0.0' }))}.${b64(canonical({ ...body, payload }))}.${b64('signature')}`;
    writeFileSync(join(work, 'good.jws'), jws(body.payload));
    writeFileSync(join(work, 'bad.jws'), jws({ ...(body.payload as object), caseType: '7' }));
    expect(bin(['validate', 'good.jws'])).toMatchObject({ status: 0, stdout: expect.stringContaining('✓ good.jws  case-submission@1.0.0 (JWS)') });
    const bad = bin(['validate', 'good.jws', 'bad.jws']);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/✗ bad\.jws .*\n\s+\/caseType .*\[enum\]/);
    expect(bin(['validate', '-'], jws(body.payload))).toMatchObject({ status: 0 });
    expect(bin(['validate', '--format', 'github', 'bad.jws']).stdout).toMatch(/^::error file=bad\.jws,line=1,title=case-submission@1\.0\.0 \/caseType::/);
  });

  it('exits 2 on usage and tool errors', () => {
    expect(bin(['validate', 'no-such-file.json']).status).toBe(2);
    expect(bin(['validate', '--contract', 'case-nothing@1.0.0', 'good.jws']).status).toBe(2);
    expect(bin(['validate']).status).toBe(2);
    expect(bin(['example', 'case.submission@99.0.0'])).toMatchObject({ status: 2, stderr: expect.stringContaining('known versions') });
  });

  it('works as a library with precompiled validators only (the schema compiler is never loaded) and typed payloads', () => {
    const script = [
      "const c = require('@tongban/contracts');",
      "const ok = c.validatePayload('case-acknowledgement', '1.0.0', JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8')));",
      "const bad = c.validateMessage({ acknowledgedMessageId: 'x' }, { contract: 'case.acknowledgement' });",
      "const compiler = Object.keys(require.cache).filter((k) => /ajv[\\\\/]dist[\\\\/](compile[\\\\/]|core\\.js|ajv\\.js|2020\\.js)/.test(k));",
      'console.log(JSON.stringify({ ok, bad: bad.violations.map((v) => v.pointer), compiler, dir: c.contractsDirectory() }));',
    ].join('\n');
    const [valid] = examples(join(pkgDir, 'contracts', 'case-acknowledgement', '1.0.0'), 'valid');
    const out = execFileSync(process.execPath, ['-e', script, valid], { cwd: work, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({
      ok: [],
      bad: expect.arrayContaining(['/acknowledgedMessageId', '/signedBy', '/signedAt']),
      compiler: [],
      dir: join(pkgDir, 'contracts'),
    });

    // The generated types type-check an integrator's code (with this repo's TypeScript).
    writeFileSync(
      join(work, 'use.ts'),
      [
        "import { validatePayload, type ContractPayloadTypes, type CaseAcknowledgementV1_0_0 } from '@tongban/contracts';",
        "const ack: CaseAcknowledgementV1_0_0 = { acknowledgedMessageId: 'm', acknowledgedEnvelopeDigest: 'd', signedBy: { officer: 'o' }, signedAt: 't' };",
        "const same: ContractPayloadTypes['case-acknowledgement@1.0.0'] = ack;",
        "// @ts-expect-error officer is required",
        "const missing: CaseAcknowledgementV1_0_0 = { ...ack, signedBy: {} };",
        "export const n: number = validatePayload('case-acknowledgement', '1.0.0', same).length + (missing ? 0 : 1);",
      ].join('\n'),
    );
    const tsc = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules/typescript/bin/tsc'), '--noEmit', '--strict', '--module', 'commonjs', '--moduleResolution', 'node10', '--ignoreDeprecations', '6.0', '--target', 'es2022', '--types', 'node', '--typeRoots', join(ROOT, 'node_modules/@types'), 'use.ts'],
      { cwd: work, encoding: 'utf8' },
    );
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  });
});
