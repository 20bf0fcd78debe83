export { leafHash, nodeHash, emptyRootHash, HASH_SIZE } from './merkle';
export { MerkleTree } from './merkle.tree';
export { rootFromInclusion, verifyInclusion, verifyConsistency } from './merkle.verify';
export { RootAccumulator } from './root.accumulator';
export { LedgerError, LedgerErrorCode } from './ledger.error';
export { LedgerEntryKind, isLedgerEntryKind } from './entry-kind';
export { entryLeafData, entryLeafHash, type LedgerEntry, type LedgerDetail } from './entry';
export { assertLedgerEntry, parseLedgerEntry } from './entry.validator';
export {
  CHECKPOINT_TYP,
  COSIGNATURE_TYP,
  CHECKPOINT_KEY_OWNER,
  signCheckpoint,
  verifyCheckpoint,
  signCosignature,
  verifyCosignature,
  isSameCheckpoint,
  assertCheckpointBody,
  assertCosignatureBody,
  type CheckpointBody,
  type CosignatureBody,
} from './checkpoint.jws';
export {
  EVIDENCE_BUNDLE_FORMAT,
  BundleFailureCode,
  type EvidenceBundle,
  type BundleScopeKind,
  type BundleFailure,
  type BundleStats,
  type BundleVerdict,
  type VerifyBundleOptions,
} from './bundle.types';
export { BundleFormatError, assertBundleFormat } from './bundle.format';
export { verifyBundle } from './bundle.verifier';
