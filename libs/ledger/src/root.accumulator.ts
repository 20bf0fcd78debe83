import { EMPTY_ROOT_HASH, HASH_SIZE, fromBinary, nodeHashBinary, toBinary } from './merkle';

/**
 * The root of a tree fed one leaf hash at a time, in O(log n) memory: a stack of the complete
 * subtrees so far (a compact range, one per 1-bit of the size). Each push costs one hash
 * amortised, so recomputing the root of a whole log is about n hashes.
 */
export class RootAccumulator {
  /** Roots of the complete subtrees, biggest (leftmost) first, as binary strings (see merkle.ts). */
  private readonly stack: string[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  push(leafHash: Uint8Array): void {
    if (!(leafHash instanceof Uint8Array) || leafHash.length !== HASH_SIZE) {
      throw new TypeError(`a leaf hash must be ${HASH_SIZE} bytes`);
    }
    this.pushBinary(toBinary(leafHash));
  }

  /** Internal (the verifier's hot path): push a leaf hash given as a 32-char latin1 string. */
  pushBinary(leafHash: string): void {
    let hash = leafHash;
    // Merge equal-sized subtrees like a binary counter carrying: one merge per trailing 1-bit.
    for (let n = this.count; n % 2 === 1; n = Math.floor(n / 2)) {
      hash = nodeHashBinary(this.stack.pop() as string, hash);
    }
    this.stack.push(hash);
    this.count++;
  }

  /** MTH of everything pushed so far; SHA-256("") when nothing was. */
  root(): Buffer {
    if (this.stack.length === 0) return Buffer.from(EMPTY_ROOT_HASH);
    // Fold right to left: a smaller right subtree hangs under the next bigger one on its left.
    let hash = this.stack[this.stack.length - 1];
    for (let i = this.stack.length - 2; i >= 0; i--) hash = nodeHashBinary(this.stack[i], hash);
    return fromBinary(hash);
  }
}
