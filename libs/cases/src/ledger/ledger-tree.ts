import { Injectable } from '@nestjs/common';
import { MerkleTree } from '@tongban/ledger';
import { LedgerStore } from '../ports/ledger-store.port';

const SYNC_BATCH = 50_000;

/**
 * The Merkle tree over every sequenced leaf, kept in memory and caught up from the database before
 * each use (leaves are append-only, so what is cached never goes stale). Proofs for any checkpoint
 * then cost O(log n) instead of reading the whole ledger. 32 bytes per leaf (plus inner nodes).
 */
@Injectable()
export class LedgerTree {
  private readonly tree = new MerkleTree();
  private syncing: Promise<void> | undefined;

  constructor(private readonly store: LedgerStore) {}

  get size(): number {
    return this.tree.size;
  }

  /** Appends what the sequencer of this process just stored, saving the round trip. */
  appendSequenced(firstIndex: number, hashes: readonly Buffer[]): void {
    if (firstIndex !== this.tree.size) return; // another process sequenced in between: sync() catches up
    for (const hash of hashes) this.tree.append(hash);
  }

  /** Reads leaves this process has not seen yet; concurrent callers share one read. */
  async sync(): Promise<MerkleTree> {
    this.syncing ??= (async () => {
      try {
        for (;;) {
          const hashes = await this.store.leafHashes(this.tree.size, this.tree.size + SYNC_BATCH);
          for (const hash of hashes) this.tree.append(hash);
          if (hashes.length < SYNC_BATCH) break;
        }
      } finally {
        this.syncing = undefined;
      }
    })();
    await this.syncing;
    return this.tree;
  }
}
