export { COMPATIBILITY_MODES, breaksUnder, isCompatibilityMode, isTransitive, type CompatibilityMode, type SchemaChange } from './schema-change';
export { diffSchemas } from './schema-diff';
export { checkCompatibility, type BreakingChange, type CompatibilityResult, type SchemaVersion } from './check-compatibility';
export { BaselineFormatError, findBaselineEntry, parseBaseline, type BaselineEntry } from './baseline';
export {
  CompatInputError,
  fsTreeReader,
  gitTreeReader,
  loadDiffInput,
  loadGitDiffInput,
  parseContractMeta,
  readContractHistory,
  readContractTree,
  type ContractHistory,
  type ContractMeta,
  type ContractTree,
  type DiffInput,
  type TreeReader,
} from './contract-tree';
export { diffContractTrees, diffSchemaPair, type DiffOptions, type DiffReport, type ReportedBreak, type VersionReport } from './contract-diff';
export { diffExitCode, formatDiffReport, formatHuman, formatJson, type DiffFormat } from './diff-report.format';
export { BASELINE_FILE_NAME, loadBaselineFile, runDiff, type DiffRequest } from './diff-run';
