import { Injectable } from '@nestjs/common';
import { canonicalJson } from '@tongban/envelope';
import { entryLeafHash, leafHash, type LedgerEntry } from '@tongban/ledger';
import { Clock } from '../ports/clock.port';
import { LedgerSigner } from '../ports/ledger-signer.port';
import { LedgerStore } from '../ports/ledger-store.port';
import { LedgerTree } from './ledger-tree';

const BATCH = 10_000;

export type SequenceResult = {
  sequenced: number;
  /** Size of the checkpoint signed in this run, if one was. */
  checkpoint?: number;
};

/**
 * One run of the ledger's heartbeat (the worker runs it every second): give new entries leaf indices,
 * then, if the tree grew, sign a checkpoint (tree size, root hash, time) with the ledger key.
 */
@Injectable()
export class SequenceLedgerUseCase {
  constructor(
    private readonly store: LedgerStore,
    private readonly tree: LedgerTree,
    private readonly signer: LedgerSigner,
    private readonly clock: Clock,
  ) {}

  async execute(): Promise<SequenceResult> {
    let sequenced = 0;
    for (;;) {
      const { firstIndex, hashes } = await this.store.sequence(BATCH, this.clock.now(), sequencedLeafHash);
      this.tree.appendSequenced(firstIndex, hashes);
      sequenced += hashes.length;
      if (hashes.length < BATCH) break;
    }
    const tree = await this.tree.sync();
    const latest = await this.store.latestCheckpoint();
    if (tree.size === 0 || (latest && latest.treeSize >= tree.size)) return { sequenced };
    const signedAt = this.clock.now();
    const rootHash = tree.rootAt(tree.size);
    const jws = await this.signer.signCheckpoint({ origin: this.signer.origin, treeSize: tree.size, rootHash: rootHash.toString('hex'), signedAt: signedAt.toISOString() });
    const inserted = await this.store.insertCheckpoint({ treeSize: tree.size, rootHash, signedAt, jws });
    return inserted ? { sequenced, checkpoint: tree.size } : { sequenced };
  }
}

/**
 * The leaf of an entry. An entry that breaks the entry format (only a write behind the application's
 * back can make one) is still sequenced, hashed as it stands: dropping it would hide it, and every
 * verifier then names it as invalid.
 */
function sequencedLeafHash(entry: LedgerEntry): Buffer {
  try {
    return entryLeafHash(entry);
  } catch {
    return leafHash(Buffer.from(canonicalJson(entry), 'utf8'));
  }
}
