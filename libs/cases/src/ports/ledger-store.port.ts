import type { LedgerEntry } from '@tongban/ledger';

/** A ledger entry as stored: its row id (staging order) and its leaf index once sequenced. */
export interface StoredLedgerEntry {
  /** Row id (bigserial as text): the order entries were written in, not their leaf order. */
  rowId: string;
  entry: LedgerEntry;
  leafIndex: number | null;
}

export interface StoredCosignature {
  district: string;
  jws: string;
  receivedAt: Date;
}

export interface StoredCheckpoint {
  treeSize: number;
  rootHash: Buffer;
  signedAt: Date;
  jws: string;
  cosignatures: StoredCosignature[];
}

export interface LedgerEntryFilter {
  /** One entry by row id (with the district/scope filters: may the viewer see it?). */
  rowId?: string;
  caseNumber?: string;
  messageId?: string;
  messageType?: string;
  /** Entries that name this district as sender, recipient or actor, or belong to a case it is party to. */
  district?: string;
  /** Auditor scope: only entries touching one of these districts (undefined = all). */
  scope?: readonly string[];
  from?: Date;
  to?: Date;
  /** Keyset pagination over row ids. */
  afterRowId?: string;
  limit: number;
}

/** One leaf of the tree as the database holds it, for the self-check. */
export interface LedgerLeafRow {
  leafIndex: number;
  leafHash: Buffer;
  /** Null when the entry row is gone (deleted behind the application's back, or archived). */
  entry: StoredLedgerEntry | null;
  archived: boolean;
}

export interface LedgerArchiveRecord {
  firstIndex: number;
  lastIndex: number;
  /** Tree size of the checkpoint the archive ends on (lastIndex + 1). */
  checkpoint: number;
  fileName: string;
  fileDigest: string;
  prevDigest: string | null;
  createdAt: Date;
}

/** Persistence of the exchange ledger; entries themselves are written by the database with each event. */
export abstract class LedgerStore {
  /**
   * Gives committed entries that have no leaf yet the next leaf indices (in row order) and stores the
   * hash `leafHashOf` computes. One sequencer at a time across processes; the others get nothing.
   */
  abstract sequence(limit: number, at: Date, leafHashOf: (entry: LedgerEntry) => Buffer): Promise<{ firstIndex: number; hashes: Buffer[] }>;
  /** Leaf hashes with index in [from, to), in index order. */
  abstract leafHashes(from: number, to: number): Promise<Buffer[]>;
  abstract latestCheckpoint(): Promise<StoredCheckpoint | null>;
  abstract findCheckpoint(treeSize: number): Promise<StoredCheckpoint | null>;
  /** Checkpoints with size in [from, to], ascending. */
  abstract listCheckpoints(from: number, to: number, limit: number): Promise<StoredCheckpoint[]>;
  /** False when a checkpoint of that size exists already. */
  abstract insertCheckpoint(checkpoint: Omit<StoredCheckpoint, 'cosignatures'>): Promise<boolean>;
  /** False when that district has co-signed that checkpoint already. */
  abstract addCosignature(treeSize: number, district: string, jws: string, at: Date): Promise<boolean>;
  abstract findEntries(filter: LedgerEntryFilter): Promise<StoredLedgerEntry[]>;
  abstract findEntry(entryId: string): Promise<StoredLedgerEntry | null>;
  /** Leaves in index order from `from`, with their entries, for the self-check. */
  abstract leavesWithEntries(from: number, limit: number): Promise<LedgerLeafRow[]>;
  /** The latest archive file, if any: the next one starts after it and names its digest. */
  abstract lastArchive(): Promise<LedgerArchiveRecord | null>;
  /**
   * The largest checkpoint size S > from such that every entry of leaves [from, S) happened before
   * `before`: archives end on a checkpoint, so the archived prefix proves against a signed root.
   */
  abstract archivableEnd(from: number, before: Date): Promise<number | null>;
  /** Records the archive and removes its entries from the database, in one transaction. */
  abstract commitArchive(archive: LedgerArchiveRecord): Promise<number>;
  /** Records an auditor's (or operator's) query as an administrative action, hence as a ledger entry. */
  abstract recordQuery(at: Date, actor: string, action: string, target: string): Promise<void>;
  /** The target of the latest administrative action of that kind (e.g. the last configuration digest). */
  abstract lastActionTarget(action: string): Promise<string | null>;
}
