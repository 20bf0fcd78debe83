import type { KeyRing } from '@tongban/envelope';
import type { BundleStats, EvidenceBundle } from './bundle.types';
import type { CheckpointBody } from './checkpoint.jws';
import type { LedgerEntry } from './entry';

export interface VerifiedCheckpoint {
  body: CheckpointBody;
  root: Buffer;
}

/** An entry whose leaf verified and parsed, kept for the envelope checks. */
export interface IndexedEntry {
  index: number;
  entry: LedgerEntry;
}

/** Reports progress every `step` units: a callback per entry would cost more than the entry. */
export class Progress {
  private done = 0;
  private reported = 0;

  constructor(
    private readonly onProgress: ((done: number, total: number) => void) | undefined,
    readonly total: number,
    private readonly step = 4096,
  ) {}

  advance(units = 1): void {
    this.done += units;
    if (this.onProgress && this.done - this.reported >= this.step) this.report();
  }

  finish(): void {
    this.done = this.total;
    if (this.onProgress) this.report();
  }

  private report(): void {
    this.reported = this.done;
    this.onProgress?.(Math.min(this.done, this.total), this.total);
  }
}

/** What the verification steps share; each step fills in what the next ones need. */
export interface VerificationContext {
  bundle: EvidenceBundle;
  keys: KeyRing;
  /** Filled by the checkpoint step, in bundle order. */
  checkpoints: VerifiedCheckpoint[];
  /** Filled by the entry step: the entries that name a message, in index order. */
  messageEntries: IndexedEntry[];
  stats: BundleStats;
  progress: Progress;
}
