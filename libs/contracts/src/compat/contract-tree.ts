import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { compareSemver, isSemver } from '../semver.compare';
import type { SchemaVersion } from './check-compatibility';
import { isCompatibilityMode, COMPATIBILITY_MODES, type CompatibilityMode } from './schema-change';

/** contracts/<id>/contract.json */
export interface ContractMeta {
  id: string;
  /** The envelope messageType, e.g. case.submission. */
  messageType: string;
  title: { zh: string; en: string };
  /** The mode every new version of this contract is checked under. */
  compatibility: CompatibilityMode;
}

export interface ContractHistory {
  id: string;
  /** Absent when the folder has no contract.json. */
  meta?: ContractMeta;
  /** Ascending by SemVer precedence. */
  versions: SchemaVersion[];
}

/** A contracts/ folder: contract id → its versions. */
export interface ContractTree {
  /** Where it was read from, for messages (a path, or REF:path). */
  label: string;
  contracts: Map<string, ContractHistory>;
}

/** Bad input (missing file, not JSON, bad contract.json, unknown git ref): the CLI exits 2. */
export class CompatInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CompatInputError';
  }
}

/** Read access to a folder tree, on disk or at a git revision. Paths are relative, '/'-separated, '' = the root. */
export interface TreeReader {
  readonly label: string;
  /** Direct children of a folder; [] when it does not exist. */
  list(path: string): Array<{ name: string; isDir: boolean }>;
  /** File text, or undefined when there is no such file. */
  read(path: string): string | undefined;
}

const join2 = (a: string, b: string): string => (a === '' ? b : `${a}/${b}`);

export function fsTreeReader(rootDir: string): TreeReader {
  const root = resolve(rootDir);
  return {
    label: rootDir,
    list(path) {
      const dir = join(root, path);
      if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
      return readdirSync(dir, { withFileTypes: true }).map((d) => ({ name: d.name, isDir: d.isDirectory() }));
    },
    read(path) {
      const file = join(root, path);
      return existsSync(file) && statSync(file).isFile() ? readFileSync(file, 'utf8') : undefined;
    },
  };
}

function git(cwd: string, args: string[]): string {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new CompatInputError(`git ${args.join(' ')} failed${stderr ? `: ${stderr}` : ''}`);
  }
}

/**
 * The folder `dir` (a path in a git working tree) as it is at revision `ref`, read with
 * `git ls-tree` and `git show`; nothing is checked out.
 */
export function gitTreeReader(ref: string, dir: string): TreeReader {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new CompatInputError(`${dir} is not a folder`);
  const cwd = resolve(dir);
  const top = git(cwd, ['rev-parse', '--show-toplevel']).trim();
  const prefix = git(cwd, ['rev-parse', '--show-prefix']).trim(); // "contracts/" (with slash) or ""
  try {
    git(top, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  } catch {
    throw new CompatInputError(`unknown git revision "${ref}"`);
  }
  const files = git(top, ['ls-tree', '-r', '-z', '--name-only', ref, '--', prefix === '' ? '.' : prefix])
    .split('\0')
    .filter((f) => f !== '')
    .map((f) => f.slice(prefix.length));
  const fileSet = new Set(files);
  return {
    label: `${ref}:${prefix.replace(/\/$/, '') || '.'}`,
    list(path) {
      const start = path === '' ? '' : `${path}/`;
      const children = new Map<string, boolean>();
      for (const file of files) {
        if (!file.startsWith(start)) continue;
        const rest = file.slice(start.length);
        const slash = rest.indexOf('/');
        const name = slash < 0 ? rest : rest.slice(0, slash);
        children.set(name, slash >= 0 || children.get(name) === true);
      }
      return [...children].map(([name, isDir]) => ({ name, isDir }));
    },
    read(path) {
      return fileSet.has(path) ? git(top, ['show', `${ref}:${prefix}${path}`]) : undefined;
    },
  };
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CompatInputError(`${where} is not JSON: ${(error as Error).message}`);
  }
}

/** Checks and returns contracts/<id>/contract.json. */
export function parseContractMeta(json: unknown, id: string, where = `${id}/contract.json`): ContractMeta {
  const meta = json as Partial<Record<keyof ContractMeta, unknown>> | null;
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) throw new CompatInputError(`${where} must be a JSON object`);
  if (meta.id !== id) throw new CompatInputError(`${where}: "id" must be "${id}" (the folder name), got ${JSON.stringify(meta.id)}`);
  if (typeof meta.messageType !== 'string' || !/^[a-z][a-z0-9]*(?:[.-][a-z0-9]+)*$/.test(meta.messageType)) {
    throw new CompatInputError(`${where}: "messageType" must be a message type such as "case.submission"`);
  }
  const title = meta.title as { zh?: unknown; en?: unknown } | undefined;
  if (typeof title !== 'object' || title === null || typeof title.zh !== 'string' || typeof title.en !== 'string' || !title.zh || !title.en) {
    throw new CompatInputError(`${where}: "title" must be {"zh": "…", "en": "…"}`);
  }
  if (!isCompatibilityMode(meta.compatibility)) {
    throw new CompatInputError(`${where}: "compatibility" must be one of ${COMPATIBILITY_MODES.join(', ')}`);
  }
  return { id, messageType: meta.messageType, title: { zh: title.zh, en: title.en }, compatibility: meta.compatibility };
}

function readSchema(reader: TreeReader, path: string): object {
  const text = reader.read(path);
  if (text === undefined) throw new CompatInputError(`${reader.label}/${path} does not exist`);
  const schema = parseJson(text, `${reader.label}/${path}`);
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) throw new CompatInputError(`${reader.label}/${path} is not a JSON Schema object`);
  return schema;
}

/** One contract folder: <path>/contract.json and <path>/<semver>/schema.json. */
export function readContractHistory(reader: TreeReader, path: string, id: string): ContractHistory {
  const metaText = reader.read(join2(path, 'contract.json'));
  const meta = metaText === undefined ? undefined : parseContractMeta(parseJson(metaText, `${reader.label}/${join2(path, 'contract.json')}`), id, `${reader.label}/${join2(path, 'contract.json')}`);
  const versions = reader
    .list(path)
    .filter((e) => e.isDir && isSemver(e.name))
    .map((e) => e.name)
    .sort(compareSemver)
    .map((version) => ({ version, schema: readSchema(reader, join2(join2(path, version), 'schema.json')) }));
  return meta === undefined ? { id, versions } : { id, meta, versions };
}

function isContractFolder(reader: TreeReader, path: string): boolean {
  return reader.read(join2(path, 'contract.json')) !== undefined || reader.list(path).some((e) => e.isDir && isSemver(e.name));
}

/** A whole contracts/ folder: every subfolder that holds contract.json or SemVer version folders. */
export function readContractTree(reader: TreeReader): ContractTree {
  const contracts = new Map<string, ContractHistory>();
  for (const entry of reader.list('').sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (!entry.isDir || !isContractFolder(reader, entry.name)) continue;
    contracts.set(entry.name, readContractHistory(reader, entry.name, entry.name));
  }
  return { label: reader.label, contracts };
}

/** What a path given to `diff` stands for. */
export type DiffInput =
  | { kind: 'schema'; label: string; schema: object; contract?: string; version?: string; meta?: ContractMeta }
  | { kind: 'tree'; label: string; tree: ContractTree };

/**
 * - a schema file, or a version folder holding schema.json (contracts/<id>/<version>): one schema;
 *   when it sits in contracts/<id>/<semver>/, the contract id, version and contract.json are known;
 * - a contract folder (contracts/<id>, holding SemVer folders): a tree with that one contract;
 * - anything else: a contracts/ tree.
 */
export function loadDiffInput(path: string): DiffInput {
  if (!existsSync(path)) throw new CompatInputError(`${path} does not exist`);
  const file = statSync(path).isDirectory() ? join(path, 'schema.json') : path;
  if (existsSync(file) && statSync(file).isFile()) {
    const schema = readSchema(fsTreeReader(dirname(file)), basename(file));
    const versionDir = dirname(resolve(file));
    const version = basename(versionDir);
    const contractDir = dirname(versionDir);
    if (basename(file) !== 'schema.json' || !isSemver(version)) return { kind: 'schema', label: path, schema };
    const contract = basename(contractDir);
    const metaFile = join(contractDir, 'contract.json');
    const meta = existsSync(metaFile) ? parseContractMeta(parseJson(readFileSync(metaFile, 'utf8'), metaFile), contract, metaFile) : undefined;
    return meta === undefined ? { kind: 'schema', label: path, schema, contract, version } : { kind: 'schema', label: path, schema, contract, version, meta };
  }
  const reader = fsTreeReader(path);
  if (reader.list('').some((e) => e.isDir && isSemver(e.name))) {
    const id = basename(resolve(path));
    return { kind: 'tree', label: path, tree: { label: path, contracts: new Map([[id, readContractHistory(reader, '', id)]]) } };
  }
  return { kind: 'tree', label: path, tree: readContractTree(reader) };
}

/** The same folder at a git revision, shaped like `loadDiffInput(dir)` would shape the working tree. */
export function loadGitDiffInput(ref: string, dir: string): DiffInput {
  const reader = gitTreeReader(ref, dir);
  if (reader.list('').some((e) => e.isDir && isSemver(e.name))) {
    const id = basename(resolve(dir));
    return { kind: 'tree', label: reader.label, tree: { label: reader.label, contracts: new Map([[id, readContractHistory(reader, '', id)]]) } };
  }
  return { kind: 'tree', label: reader.label, tree: readContractTree(reader) };
}
