import type { MerkleTree } from './merkle.tree';
import { inclusionPathRanges, isPowerOfTwo, levelOf } from './merkle.math';

/**
 * The hex audit paths of a tree already recomputed from every leaf, to check proofs by string
 * comparison instead of hashing: once the leaves make the signed root, a proof verifies exactly
 * when it equals the tree's own path (else SHA-256 would have a collision). Each node's hex is
 * computed once, although the nodes near the root are in almost every path.
 */
export class ExpectedPathIndex {
  /** Complete subtrees: hex by level, then by position. */
  private readonly complete: string[][] = [];
  /** Right-edge subtrees of some tree size, keyed "start/size": a few per checkpoint. */
  private readonly partial = new Map<string, string>();

  constructor(private readonly tree: MerkleTree) {}

  matches(index: number, treeSize: number, proof: readonly string[]): boolean {
    const ranges = inclusionPathRanges(index, treeSize);
    if (ranges.length !== proof.length * 2) return false;
    for (let i = 0; i < proof.length; i++) {
      if (proof[i] !== this.hex(ranges[2 * i], ranges[2 * i + 1])) return false;
    }
    return true;
  }

  private hex(start: number, size: number): string {
    if (isPowerOfTwo(size)) {
      const row = (this.complete[levelOf(size)] ??= []);
      return (row[start / size] ??= this.tree.subtreeHashHex(start, size));
    }
    const key = `${start}/${size}`;
    let hex = this.partial.get(key);
    if (hex === undefined) {
      hex = this.tree.subtreeHash(start, size).toString('hex');
      this.partial.set(key, hex);
    }
    return hex;
  }
}
