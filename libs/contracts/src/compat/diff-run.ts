import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { BaselineFormatError, parseBaseline, type BaselineEntry } from './baseline';
import { diffContractTrees, diffSchemaPair, type DiffReport } from './contract-diff';
import { CompatInputError, loadDiffInput, loadGitDiffInput, type DiffInput } from './contract-tree';
import type { CompatibilityMode } from './schema-change';

export const BASELINE_FILE_NAME = 'compat-baseline.json';

export interface DiffRequest {
  /** OLD and NEW paths; with `gitRef`, only `newPath` (the folder, default `contracts`). */
  oldPath?: string;
  newPath?: string;
  gitRef?: string;
  mode?: CompatibilityMode;
  /** Baseline file; default: compat-baseline.json at the root of NEW's contracts tree, when there is one. */
  baselineFile?: string;
}

export function loadBaselineFile(file: string): BaselineEntry[] {
  if (!existsSync(file)) throw new CompatInputError(`baseline ${file} does not exist`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CompatInputError(`baseline ${file} is not JSON: ${(error as Error).message}`);
  }
  try {
    return parseBaseline(json, file);
  } catch (error) {
    if (error instanceof BaselineFormatError) throw new CompatInputError(error.message);
    throw error;
  }
}

/** contracts/compat-baseline.json next to NEW: NEW is the contracts folder, a contract folder in it, or a version folder / schema in one. */
function defaultBaseline(newPath: string, input: DiffInput): string | undefined {
  const start = resolve(newPath);
  const candidates =
    input.kind === 'tree'
      ? [start, dirname(start)]
      : [statSync(start).isDirectory() ? dirname(dirname(start)) : dirname(dirname(dirname(start)))];
  return candidates.map((dir) => join(dir, BASELINE_FILE_NAME)).find((file) => existsSync(file));
}

/** Loads both sides and compares them; throws CompatInputError on bad input (exit 2). */
export function runDiff(request: DiffRequest): DiffReport {
  let oldInput: DiffInput;
  let newInput: DiffInput;
  let newPath: string;
  if (request.gitRef !== undefined) {
    if (request.oldPath !== undefined) throw new CompatInputError('with --git REF give at most one folder (default: contracts)');
    newPath = request.newPath ?? 'contracts';
    newInput = loadDiffInput(newPath);
    if (newInput.kind !== 'tree') throw new CompatInputError(`with --git REF, ${newPath} must be a contracts folder or a contract folder, not a single schema`);
    oldInput = loadGitDiffInput(request.gitRef, newPath);
  } else {
    if (request.oldPath === undefined || request.newPath === undefined) throw new CompatInputError('give OLD and NEW, or --git REF');
    newPath = request.newPath;
    oldInput = loadDiffInput(request.oldPath);
    newInput = loadDiffInput(newPath);
  }
  const baselineFile = request.baselineFile ?? defaultBaseline(newPath, newInput);
  const baseline = baselineFile === undefined ? [] : loadBaselineFile(baselineFile);
  const options = { mode: request.mode, baseline };
  if (oldInput.kind === 'schema' && newInput.kind === 'schema') return diffSchemaPair(oldInput, newInput, options);
  if (oldInput.kind === 'tree' && newInput.kind === 'tree') return diffContractTrees(oldInput.tree, newInput.tree, options);
  throw new CompatInputError(`cannot compare ${oldInput.label} (${oldInput.kind === 'schema' ? 'one schema' : 'a contracts tree'}) with ${newInput.label} (${newInput.kind === 'schema' ? 'one schema' : 'a contracts tree'})`);
}
