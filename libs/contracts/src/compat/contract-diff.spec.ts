import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { registerDiffCommand } from '../cli/commands/diff.command';
import { parseBaseline, type BaselineEntry } from './baseline';
import { diffContractTrees } from './contract-diff';
import { CompatInputError, fsTreeReader, parseContractMeta, readContractTree } from './contract-tree';
import { diffExitCode, formatHuman, formatJson } from './diff-report.format';
import { runDiff } from './diff-run';

const closed = (properties: Record<string, unknown>, required: string[] = []): Record<string, unknown> => ({ type: 'object', additionalProperties: false, properties, required });
const meta = (id: string, compatibility = 'BACKWARD_TRANSITIVE'): object => ({ id, messageType: id.replace('-', '.'), title: { zh: '样例', en: 'Sample' }, compatibility });

const V1 = closed({ name: { type: 'string' } }, ['name']);
const V1_1 = closed({ name: { type: 'string' }, mobile: { type: 'string' } }, ['name']);
const V2 = closed({ name: { type: 'string' }, idType: { type: 'string' } }, ['name', 'idType']);

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tree(files: Record<string, unknown>, root = mkdtempSync(join(tmpdir(), 'tongban-compat-'))): string {
  if (!dirs.includes(root)) dirs.push(root);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
  return root;
}

const baselineEntry = (e: Partial<BaselineEntry>): BaselineEntry => ({ contract: 'case-sample', from: '1.1.0', to: '2.0.0', kind: 'REQUIRED_PROPERTY_ADDED_TO_CLOSED_CONTENT_MODEL', pointer: '/properties/idType', reason: 'major version with a converter', ...e });

describe('contract trees', () => {
  it('reads contract.json and versions in SemVer order, ignoring stray files', () => {
    const root = tree({
      'compat-baseline.json': { accepted: [] },
      'case-sample/contract.json': meta('case-sample'),
      'case-sample/CHANGELOG.md': '# x',
      'case-sample/1.10.0/schema.json': V1,
      'case-sample/1.2.0/schema.json': V1,
    });
    const t = readContractTree(fsTreeReader(root));
    expect([...t.contracts.keys()]).toEqual(['case-sample']);
    expect(t.contracts.get('case-sample')?.versions.map((v) => v.version)).toEqual(['1.2.0', '1.10.0']);
    expect(t.contracts.get('case-sample')?.meta?.compatibility).toBe('BACKWARD_TRANSITIVE');
  });

  it.each([
    ['an id that is not the folder', { ...meta('case-sample'), id: 'other' }, '"id" must be "case-sample"'],
    ['an unknown mode', meta('case-sample', 'SIDEWAYS'), '"compatibility" must be one of'],
    ['a missing title', { ...meta('case-sample'), title: { zh: '样例' } }, '"title"'],
  ])('refuses a contract.json with %s', (_name, json, message) => {
    expect(() => parseContractMeta(json, 'case-sample')).toThrow(message);
  });

  it('checks every added version against its predecessors, with the baseline accepting a listed break', () => {
    const root = tree({ 'case-sample/contract.json': meta('case-sample'), 'case-sample/1.0.0/schema.json': V1, 'case-sample/1.1.0/schema.json': V1_1, 'case-sample/2.0.0/schema.json': V2 });
    const history = diffContractTrees({ label: 'none', contracts: new Map() }, readContractTree(fsTreeReader(root)));
    expect(history.versions.map((v) => [v.version, v.previous, v.breaking.map((b) => b.against)])).toEqual([
      ['1.0.0', undefined, []],
      ['1.1.0', '1.0.0', []],
      // BACKWARD_TRANSITIVE: 2.0.0 against both; removing the optional `mobile` from a closed object breaks 1.1.0 data too.
      ['2.0.0', '1.1.0', ['1.0.0', '1.1.0', '1.1.0']],
    ]);
    expect(diffExitCode(history)).toBe(1);

    const baseline = [
      baselineEntry({ from: '1.0.0' }),
      baselineEntry({}),
      baselineEntry({ kind: 'PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL', pointer: '/properties/*' }),
      baselineEntry({ to: '3.0.0', reason: 'stale' }),
    ];
    const accepted = diffContractTrees({ label: 'none', contracts: new Map() }, readContractTree(fsTreeReader(root)), { baseline });
    expect([accepted.unaccepted, accepted.accepted, diffExitCode(accepted)]).toEqual([0, 3, 0]);
    expect(accepted.unusedBaseline.map((e) => e.reason)).toEqual(['stale']);
    expect(formatHuman(accepted)).toContain('accepted  REQUIRED_PROPERTY_ADDED_TO_CLOSED_CONTENT_MODEL  #/properties/idType');
  });

  it('between two trees: checks new versions, holds in-place edits to FULL, reports removed versions', () => {
    const oldRoot = tree({ 'case-sample/contract.json': meta('case-sample', 'BACKWARD'), 'case-sample/1.0.0/schema.json': V1, 'case-sample/1.1.0/schema.json': V1_1, 'gone/1.0.0/schema.json': V1 });
    const newRoot = tree({
      'case-sample/contract.json': meta('case-sample', 'BACKWARD'),
      'case-sample/1.0.0/schema.json': { ...V1, description: 'docs only' },
      'case-sample/1.1.0/schema.json': { ...V1_1, properties: { name: { type: 'string' }, mobile: { type: 'string', maxLength: 20 } } },
      'case-sample/1.2.0/schema.json': { ...V1_1, properties: { name: { type: 'string' }, mobile: { type: 'string', maxLength: 20 } } },
    });
    const report = diffContractTrees(readContractTree(fsTreeReader(oldRoot)), readContractTree(fsTreeReader(newRoot)));
    expect(report.versions.map((v) => [v.contract, v.version, v.status, v.mode, v.breaking.map((b) => b.kind)])).toEqual([
      ['case-sample', '1.0.0', 'edited', 'FULL', []],
      ['case-sample', '1.1.0', 'edited', 'FULL', ['MAX_LENGTH_ADDED']],
      // 1.2.0 is compared with the *published* 1.1.0 (no maxLength), under the declared BACKWARD.
      ['case-sample', '1.2.0', 'added', 'BACKWARD', ['MAX_LENGTH_ADDED']],
      ['gone', '1.0.0', 'removed', 'BACKWARD', ['VERSION_REMOVED']],
    ]);
    expect(report.versions[3].modeSource).toBe('default');
    const json = JSON.parse(formatJson(report)) as { exitCode: number; unaccepted: number };
    expect([json.exitCode, json.unaccepted]).toEqual([1, 3]);
  });

  it('parses the baseline file and refuses entries without a reason', () => {
    expect(parseBaseline({ accepted: [baselineEntry({})] })).toHaveLength(1);
    expect(parseBaseline([])).toEqual([]);
    expect(() => parseBaseline({ accepted: [{ ...baselineEntry({}), reason: ' ' }] })).toThrow('reason');
    expect(() => parseBaseline({ accepted: [{ contract: 'x' }] })).toThrow('"from"');
  });
});

describe('runDiff inputs', () => {
  const root = (): string =>
    tree({
      'compat-baseline.json': { accepted: [baselineEntry({ from: '1.0.0', to: '2.0.0' })] },
      'case-sample/contract.json': meta('case-sample', 'BACKWARD'),
      'case-sample/1.0.0/schema.json': V1,
      'case-sample/2.0.0/schema.json': V2,
    });

  it('two version folders: mode from contract.json, baseline found next to them', () => {
    const r = root();
    const report = runDiff({ oldPath: join(r, 'case-sample/1.0.0'), newPath: join(r, 'case-sample/2.0.0') });
    expect(report.versions[0]).toMatchObject({ contract: 'case-sample', version: '2.0.0', previous: '1.0.0', mode: 'BACKWARD', modeSource: 'contract.json' });
    expect([report.unaccepted, report.accepted]).toEqual([0, 1]);
  });

  it('two bare schema files: BACKWARD by default, --mode overrides, no baseline applies', () => {
    const r = tree({ 'a.json': V1, 'b.json': V1_1 });
    expect(runDiff({ oldPath: join(r, 'a.json'), newPath: join(r, 'b.json') }).unaccepted).toBe(0);
    const full = runDiff({ oldPath: join(r, 'a.json'), newPath: join(r, 'b.json'), mode: 'FULL' });
    expect(full.versions[0]).toMatchObject({ version: 'new', previous: 'old', mode: 'FULL', modeSource: 'option' });
    expect(full.unaccepted).toBe(1);
  });

  it('refuses mixing a schema with a tree, missing paths and bad JSON', () => {
    const r = root();
    expect(() => runDiff({ oldPath: join(r, 'case-sample/1.0.0/schema.json'), newPath: r })).toThrow(CompatInputError);
    expect(() => runDiff({ oldPath: join(r, 'nope'), newPath: r })).toThrow('does not exist');
    const bad = tree({ 'a.json': '{', 'b.json': V1 });
    expect(() => runDiff({ oldPath: join(bad, 'a.json'), newPath: join(bad, 'b.json') })).toThrow('is not JSON');
  });

  it('--git REF: compares the working tree with the same folder at a revision', () => {
    const repo = tree({ 'contracts/case-sample/contract.json': meta('case-sample', 'BACKWARD'), 'contracts/case-sample/1.0.0/schema.json': V1, 'README.md': 'x' });
    const git = (...args: string[]): string => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.org', ...args], { cwd: repo, encoding: 'utf8' });
    git('init', '-q');
    git('add', '.');
    git('commit', '-q', '-m', 'v1');
    tree({ 'contracts/case-sample/2.0.0/schema.json': V2 }, repo);
    const report = runDiff({ gitRef: 'HEAD', newPath: join(repo, 'contracts') });
    expect(report.versions.map((v) => [v.version, v.status, v.previous])).toEqual([['2.0.0', 'added', '1.0.0']]);
    expect(report.unaccepted).toBe(1);
    // A contract folder inside the repo works the same way.
    expect(runDiff({ gitRef: 'HEAD', newPath: join(repo, 'contracts/case-sample') }).unaccepted).toBe(1);
    expect(() => runDiff({ gitRef: 'no-such-ref', newPath: join(repo, 'contracts') })).toThrow('unknown git revision');
  });
});

describe('diff command', () => {
  async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const program = new Command('tongban-contracts')
      .exitOverride()
      .configureOutput({ writeOut: (s) => void (out += s), writeErr: (s) => void (err += s) });
    registerDiffCommand(program);
    const before = process.exitCode;
    process.exitCode = undefined;
    let code: number;
    try {
      await program.parseAsync(['diff', ...args], { from: 'user' });
      code = Number(process.exitCode ?? 0);
    } catch (error) {
      if (!(error instanceof CommanderError)) throw error;
      code = error.exitCode === 0 ? 0 : 2;
    } finally {
      process.exitCode = before;
    }
    return { code, out, err };
  }

  it('exit 1 and BREAKING on a breaking change, with pointer and message', async () => {
    const r = tree({ 'a.json': V1, 'b.json': V2 });
    const { code, out } = await cli(join(r, 'a.json'), join(r, 'b.json'));
    expect(code).toBe(1);
    expect(out).toContain('BREAKING  REQUIRED_PROPERTY_ADDED_TO_CLOSED_CONTENT_MODEL  #/properties/idType');
    expect(out).toContain('FAILED: 1 breaking change(s)');
  });

  it('exit 0 when nothing breaks under the mode; JSON output', async () => {
    const r = tree({ 'a.json': V1, 'b.json': V1_1 });
    const { code, out } = await cli(join(r, 'a.json'), join(r, 'b.json'), '--format', 'json');
    expect(code).toBe(0);
    const report = JSON.parse(out) as { exitCode: number; versions: Array<{ changes: Array<{ kind: string; breaksForward: boolean }> }> };
    expect(report.exitCode).toBe(0);
    expect(report.versions[0].changes).toEqual([expect.objectContaining({ kind: 'OPTIONAL_PROPERTY_ADDED_TO_CLOSED_CONTENT_MODEL', breaksForward: true })]);
  });

  it('--baseline FILE accepts a listed break', async () => {
    const r = tree({
      'case-sample/1.0.0/schema.json': V1,
      'case-sample/2.0.0/schema.json': V2,
      'accepted.json': { accepted: [baselineEntry({ from: '1.0.0' })] },
    });
    const { code, out } = await cli(join(r, 'case-sample/1.0.0'), join(r, 'case-sample/2.0.0'), '--baseline', join(r, 'accepted.json'));
    expect(code).toBe(0);
    expect(out).toContain('baseline: major version with a converter');
  });

  it('exit 2 on usage and input errors', async () => {
    const r = tree({ 'a.json': V1 });
    expect((await cli(join(r, 'a.json'))).code).toBe(2);
    expect((await cli(join(r, 'a.json'), join(r, 'a.json'), '--mode', 'SIDEWAYS')).code).toBe(2);
    const missing = await cli(join(r, 'a.json'), join(r, 'missing.json'));
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('does not exist');
  });
});
