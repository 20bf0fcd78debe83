import type { JsonWebKey } from 'node:crypto';
import type { CheckpointBody } from './checkpoint.jws';

export const EVIDENCE_BUNDLE_FORMAT = 'tongban-evidence-bundle/1';

export type BundleScopeKind = 'case' | 'district' | 'range' | 'all';

/** One JSON file that proves, offline, what the ledger says about a scope. See README.md. */
export interface EvidenceBundle {
  format: typeof EVIDENCE_BUNDLE_FORMAT;
  createdAt: string;
  /** Gateway id: every checkpoint must name it as its origin. */
  origin: string;
  scope: { kind: BundleScopeKind; caseNumber?: string; district?: string; from?: string; to?: string };
  /** Public keys in force: 'gateway' (receipts), 'gateway-ledger' (checkpoints), each district id. */
  keys: Array<{ owner: string; jwks: { keys: JsonWebKey[] } }>;
  /** Informational: the verifier does not use them. */
  certificates: Array<{ owner: string; pem: string }>;
  /** Ascending treeSize. */
  checkpoints: Array<{ jws: string; cosignatures: string[] }>;
  /** One per consecutive pair of checkpoints, in the same order; hex hashes. */
  consistency: Array<{ from: number; to: number; proof: string[] }>;
  /** Ascending index. leaf is the exact canonical JSON text that was hashed. */
  entries: Array<{ index: number; leaf: string; checkpoint: number; proof: string[] }>;
  envelopes: Array<{ messageId: string; envelope: string; receipt: string | null }>;
  /** True when entries hold every leaf 0..N-1 of the last checkpoint. */
  complete?: boolean;
}

/** Stable codes of a failed verification; never renamed once shipped. README.md says when each is given. */
export enum BundleFailureCode {
  CHECKPOINT_SIGNATURE_INVALID = 'CHECKPOINT_SIGNATURE_INVALID',
  CHECKPOINT_INVALID = 'CHECKPOINT_INVALID',
  COSIGNATURE_INVALID = 'COSIGNATURE_INVALID',
  CONSISTENCY_PROOF_INVALID = 'CONSISTENCY_PROOF_INVALID',
  ENTRY_HASH_MISMATCH = 'ENTRY_HASH_MISMATCH',
  INCLUSION_PROOF_INVALID = 'INCLUSION_PROOF_INVALID',
  ENTRY_INVALID = 'ENTRY_INVALID',
  ENTRY_MISSING = 'ENTRY_MISSING',
  TREE_ROOT_MISMATCH = 'TREE_ROOT_MISMATCH',
  ENVELOPE_MISSING = 'ENVELOPE_MISSING',
  ENVELOPE_DIGEST_MISMATCH = 'ENVELOPE_DIGEST_MISMATCH',
  ENVELOPE_SIGNATURE_INVALID = 'ENVELOPE_SIGNATURE_INVALID',
  ENVELOPE_MISMATCH = 'ENVELOPE_MISMATCH',
  RECEIPT_INVALID = 'RECEIPT_INVALID',
}

export interface BundleFailure {
  code: BundleFailureCode;
  /** Leaf index of the entry at fault (or, for ENTRY_MISSING, of the missing one). */
  entryIndex?: number;
  entryId?: string;
  messageId?: string;
  /** Position in bundle.checkpoints of the checkpoint at fault. */
  checkpoint?: number;
  /** A sentence a person can act on. */
  reason: string;
}

/** What was checked. All numbers, so that a report can list them generically. */
export type BundleStats = {
  checkpoints: number;
  cosignatures: number;
  consistencyProofs: number;
  entries: number;
  inclusionProofs: number;
  envelopes: number;
  receipts: number;
  /** Tree size of the last checkpoint. */
  treeSize: number;
};

export type BundleVerdict =
  | { ok: true; stats: BundleStats; /** The last checkpoint: compare it with one obtained independently. */ checkpoint: CheckpointBody }
  | { ok: false; failure: BundleFailure };

export interface VerifyBundleOptions {
  /** Called now and then with units done and the total (entries + envelope records). */
  onProgress?(done: number, total: number): void;
}
