import type { MerkleTree } from './merkle.tree';
import { inclusionPathRangesInto } from './merkle.math';

/**
 * The hex audit paths of a tree already recomputed from every leaf, to check proofs by string
 * comparison instead of hashing: once the leaves make the signed root, a proof verifies exactly
 * when it equals the tree's own path (else SHA-256 would have a collision).
 *
 * Entries come in index order, and consecutive leaves share their siblings above the lowest
 * levels: the sibling at level L changes only every 2^L entries. One remembered hex per level is
 * then enough for about two hex conversions per entry, without keeping the hex of every node
 * (which would cost more in garbage collection than it saves).
 */
export class ExpectedPathIndex {
  /** Reused between calls: one path at a time. */
  private readonly ranges: number[] = [];
  /** By position in the path: the subtree last converted there, and its hex. */
  private readonly lastStart: number[] = [];
  private readonly lastSize: number[] = [];
  private readonly lastHex: string[] = [];

  constructor(private readonly tree: MerkleTree) {}

  matches(index: number, treeSize: number, proof: readonly string[]): boolean {
    const ranges = this.ranges;
    if (inclusionPathRangesInto(index, treeSize, ranges) !== proof.length) return false;
    for (let i = 0; i < proof.length; i++) {
      const start = ranges[2 * i];
      const size = ranges[2 * i + 1];
      if (this.lastStart[i] !== start || this.lastSize[i] !== size) {
        this.lastStart[i] = start;
        this.lastSize[i] = size;
        this.lastHex[i] = this.tree.subtreeHashHex(start, size);
      }
      if (proof[i] !== this.lastHex[i]) return false;
    }
    return true;
  }
}
