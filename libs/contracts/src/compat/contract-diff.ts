import { compareSemver } from '../semver.compare';
import { findBaselineEntry, type BaselineEntry } from './baseline';
import { checkCompatibility, type BreakingChange, type SchemaVersion } from './check-compatibility';
import type { ContractHistory, ContractMeta, ContractTree } from './contract-tree';
import { breaksUnder, type CompatibilityMode, type SchemaChange } from './schema-change';
import { stableStringify } from './schema-diff';

export type ReportedBreak = BreakingChange & {
  /** The baseline entry that accepts this break; absent = the break fails the check. */
  acceptedBy?: BaselineEntry;
};

export interface VersionReport {
  /** Absent when two bare schema files are compared. */
  contract?: string;
  /** The version checked (the candidate). */
  version: string;
  /** added: new version; edited: a published version changed in place; removed: a published version is gone. */
  status: 'added' | 'edited' | 'removed' | 'compared';
  mode: CompatibilityMode;
  modeSource: 'option' | 'contract.json' | 'default' | 'edited in place';
  /** The version `changes` are listed against (the last earlier one). */
  previous?: string;
  changes: SchemaChange[];
  breaking: ReportedBreak[];
}

export interface DiffReport {
  versions: VersionReport[];
  /** Breaking changes not accepted by the baseline: any → exit 1. */
  unaccepted: number;
  accepted: number;
  /** Baseline entries that accepted nothing in this run (stale, or about versions not compared here). */
  unusedBaseline: BaselineEntry[];
}

export interface DiffOptions {
  /** Overrides every contract's declared mode. */
  mode?: CompatibilityMode;
  baseline?: readonly BaselineEntry[];
}

function pickMode(options: DiffOptions, ...metas: Array<ContractMeta | undefined>): { mode: CompatibilityMode; modeSource: VersionReport['modeSource'] } {
  if (options.mode) return { mode: options.mode, modeSource: 'option' };
  const meta = metas.find((m) => m !== undefined);
  return meta ? { mode: meta.compatibility, modeSource: 'contract.json' } : { mode: 'BACKWARD', modeSource: 'default' };
}

function withBaseline(report: Omit<VersionReport, 'breaking'> & { breaking: BreakingChange[] }, baseline: readonly BaselineEntry[], used: Set<BaselineEntry>): VersionReport {
  const breaking = report.breaking.map((change): ReportedBreak => {
    const entry = findBaselineEntry(baseline, report.contract, report.version, change);
    if (!entry) return change;
    used.add(entry);
    return { ...change, acceptedBy: entry };
  });
  return { ...report, breaking };
}

function summarize(versions: VersionReport[], baseline: readonly BaselineEntry[], used: Set<BaselineEntry>): DiffReport {
  const all = versions.flatMap((v) => v.breaking);
  return {
    versions,
    unaccepted: all.filter((b) => !b.acceptedBy).length,
    accepted: all.filter((b) => b.acceptedBy).length,
    unusedBaseline: baseline.filter((e) => !used.has(e)),
  };
}

/** Two single schemas (two files, or two version folders). */
export function diffSchemaPair(
  oldSide: { schema: object; version?: string; contract?: string; meta?: ContractMeta },
  newSide: { schema: object; version?: string; contract?: string; meta?: ContractMeta },
  options: DiffOptions = {},
): DiffReport {
  const baseline = options.baseline ?? [];
  const used = new Set<BaselineEntry>();
  const contract = newSide.contract !== undefined && newSide.contract === (oldSide.contract ?? newSide.contract) ? newSide.contract : undefined;
  const oldVersion = oldSide.version ?? 'old';
  const newVersion = newSide.version ?? 'new';
  const { mode, modeSource } = pickMode(options, newSide.meta, oldSide.meta);
  const result = checkCompatibility([{ version: oldVersion, schema: oldSide.schema }], { version: newVersion, schema: newSide.schema }, mode);
  const report = withBaseline(
    { contract, version: newVersion, status: 'compared', mode, modeSource, previous: oldVersion, changes: result.changes, breaking: result.breaking },
    baseline,
    used,
  );
  return summarize([report], baseline, used);
}

function removedVersion(id: string, version: string, mode: CompatibilityMode, modeSource: VersionReport['modeSource'], why: string): Omit<VersionReport, 'breaking'> & { breaking: BreakingChange[] } {
  const change: SchemaChange = {
    kind: 'VERSION_REMOVED',
    pointer: '',
    breaksBackward: true,
    breaksForward: true,
    message: `${id}@${version} ${why}; partners that still send or accept it are cut off`,
  };
  return { contract: id, version, status: 'removed', mode, modeSource, changes: [change], breaking: breaksUnder(change, mode) ? [{ ...change, against: version }] : [] };
}

function sameSchema(a: object, b: object): boolean {
  return stableStringify(a) === stableStringify(b);
}

/**
 * Two contracts/ trees (or a git revision and the working tree). Per contract present in either:
 * - a version only in NEW is checked against every earlier version (the published schema from OLD
 *   where it exists) under the contract's mode — the last one, or all for _TRANSITIVE modes;
 * - a version in both whose schema differs was edited in place: checked under FULL (partners on
 *   that exact version send and receive it), unless the mode is NONE;
 * - a version only in OLD was removed: reported as VERSION_REMOVED (breaking unless the mode is NONE).
 * With an empty OLD tree this is the repo's history check: every version against its predecessors.
 */
export function diffContractTrees(oldTree: ContractTree, newTree: ContractTree, options: DiffOptions = {}): DiffReport {
  const baseline = options.baseline ?? [];
  const used = new Set<BaselineEntry>();
  const reports: VersionReport[] = [];
  const ids = [...new Set([...oldTree.contracts.keys(), ...newTree.contracts.keys()])].sort();
  for (const id of ids) {
    const oldContract: ContractHistory | undefined = oldTree.contracts.get(id);
    const newContract: ContractHistory | undefined = newTree.contracts.get(id);
    const { mode, modeSource } = pickMode(options, newContract?.meta, oldContract?.meta);
    const published = new Map((oldContract?.versions ?? []).map((v) => [v.version, v.schema]));
    const current = new Map((newContract?.versions ?? []).map((v) => [v.version, v.schema]));

    for (const [version] of published) {
      if (!current.has(version)) {
        reports.push(withBaseline(removedVersion(id, version, mode, modeSource, newContract ? 'was removed' : 'was removed with its whole contract'), baseline, used));
      }
    }
    // The history of a version: what was published before it (OLD's schema where OLD has it, even
    // if NEW removed it), plus the versions NEW adds before it. Ascending by SemVer precedence.
    const historyBefore = (version: string): SchemaVersion[] =>
      [...(oldContract?.versions ?? []), ...(newContract?.versions ?? []).filter((v) => !published.has(v.version))]
        .filter((v) => compareSemver(v.version, version) < 0)
        .sort((a, b) => compareSemver(a.version, b.version));
    for (const { version, schema } of newContract?.versions ?? []) {
      const before = published.get(version);
      if (before !== undefined) {
        if (sameSchema(before, schema)) continue;
        const editMode: CompatibilityMode = mode === 'NONE' ? 'NONE' : 'FULL';
        const result = checkCompatibility([{ version, schema: before }], { version, schema }, editMode);
        reports.push(
          withBaseline({ contract: id, version, status: 'edited', mode: editMode, modeSource: 'edited in place', previous: version, changes: result.changes, breaking: result.breaking }, baseline, used),
        );
        continue;
      }
      const history = historyBefore(version);
      const result = checkCompatibility(history, { version, schema }, mode);
      reports.push(
        withBaseline(
          { contract: id, version, status: 'added', mode, modeSource, previous: history[history.length - 1]?.version, changes: result.changes, breaking: result.breaking },
          baseline,
          used,
        ),
      );
    }
  }
  return summarize(reports, baseline, used);
}
