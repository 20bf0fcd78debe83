import { EMPTY_ROOT_HASH, HASH_SIZE, nodeHash, nodeHashOfPair } from './merkle';
import { consistencyProofRanges, inclusionPathRanges, isPowerOfTwo, isTreeSize, levelOf } from './merkle.math';

const INITIAL_CAPACITY = 64;

/**
 * An append-only RFC 9162 Merkle tree over leaf hashes that answers for every past size too.
 *
 * It keeps the hash of every complete (power-of-two, aligned) subtree, one flat byte array per
 * level: 2 × 32 bytes per leaf in all, instead of an object per node. Any subtree of any past tree
 * is then at most log n stored nodes folded together, so rootAt is O(log n) hashes and the proofs
 * O(log² n) at worst; appending is amortised O(1).
 */
export class MerkleTree {
  /** levels[l] holds counts[l] hashes of the complete subtrees of 2^l leaves, left to right. */
  private readonly levels: Buffer[] = [Buffer.alloc(INITIAL_CAPACITY * HASH_SIZE)];
  private readonly counts: number[] = [0];

  static fromLeafHashes(hashes: Iterable<Uint8Array>): MerkleTree {
    const tree = new MerkleTree();
    for (const hash of hashes) tree.append(hash);
    return tree;
  }

  get size(): number {
    return this.counts[0];
  }

  /** Appends a leaf hash (see leafHash) and returns its index. */
  append(hash: Uint8Array): number {
    if (!(hash instanceof Uint8Array) || hash.length !== HASH_SIZE) {
      throw new TypeError(`a leaf hash must be ${HASH_SIZE} bytes`);
    }
    return this.appendStored(hash);
  }

  /** Internal (the verifier's hot path): append a leaf hash given as a 32-char latin1 string. */
  appendBinary(hash: string): number {
    if (hash.length !== HASH_SIZE) throw new TypeError(`a leaf hash must be ${HASH_SIZE} bytes`);
    return this.appendStored(hash);
  }

  private appendStored(hash: Uint8Array | string): number {
    const index = this.counts[0];
    this.store(0, hash);
    // Each completed pair closes a subtree one level up, like a binary counter carrying.
    let level = 0;
    while (this.counts[level] % 2 === 0) {
      const end = this.counts[level] * HASH_SIZE;
      // The pair is the last 64 bytes of the level: hash it where it lies.
      this.store(level + 1, nodeHashOfPair(this.levels[level], end - 2 * HASH_SIZE));
      level++;
    }
    return index;
  }

  /** The leaf hash at `index`. */
  leafHash(index: number): Buffer {
    this.assertRange('index', index, 0, this.size - 1);
    return this.stored(0, index);
  }

  /** MTH of the first n leaves (the current tree by default); n = 0 gives SHA-256(""). */
  rootAt(n: number = this.size): Buffer {
    this.assertRange('tree size', n, 0, this.size);
    return n === 0 ? Buffer.from(EMPTY_ROOT_HASH) : this.subtreeHash(0, n);
  }

  /** PATH(index, D[n]) of RFC 9162 §2.1.3.1, leaf to root; empty for a tree of one leaf. */
  inclusionProof(index: number, n: number = this.size): Buffer[] {
    this.assertRange('tree size', n, 1, this.size);
    this.assertRange('index', index, 0, n - 1);
    return this.hashRanges(inclusionPathRanges(index, n));
  }

  /**
   * PROOF(m, D[n]) of RFC 9162 §2.1.4.1 that the tree of size m is a prefix of the tree of size n.
   * m = n gives []. m = 0 is refused (RangeError): every tree extends the empty one, there is
   * nothing to prove, and verifyConsistency accepts m = 0 only with an empty proof.
   */
  consistencyProof(m: number, n: number = this.size): Buffer[] {
    this.assertRange('tree size n', n, 1, this.size);
    this.assertRange('tree size m', m, 1, n);
    return this.hashRanges(consistencyProofRanges(m, n));
  }

  /**
   * MTH(D[start:start+size]) for a subtree as it occurs in this tree's proofs: `start` a multiple
   * of the power of two ≥ size (or of size itself when size is one). Other ranges are not nodes
   * of any RFC 9162 tree and are refused.
   */
  subtreeHash(start: number, size: number): Buffer {
    this.assertRange('subtree size', size, 1, this.size);
    this.assertRange('subtree start', start, 0, this.size - size);
    let aligned = 1;
    while (aligned < size) aligned *= 2;
    if (start % aligned !== 0) throw new RangeError(`[${start}, ${start + size}) is not a subtree of an RFC 9162 tree`);
    if (isPowerOfTwo(size)) return this.stored(levelOf(size), start / size);
    // A right-edge subtree: its stored complete parts, biggest first, folded from the right.
    const parts: Buffer[] = [];
    let at = start;
    let left = size;
    while (left > 0) {
      let part = 1;
      while (part * 2 <= left) part *= 2;
      parts.push(this.storedView(levelOf(part), at / part));
      at += part;
      left -= part;
    }
    let hash = parts[parts.length - 1];
    for (let i = parts.length - 2; i >= 0; i--) hash = nodeHash(parts[i], hash);
    // Fresh from nodeHash: parts always has ≥ 2 elements here (size is not a power of two).
    return hash;
  }

  /** subtreeHash as lowercase hex, without an intermediate Buffer for stored subtrees. */
  subtreeHashHex(start: number, size: number): string {
    if (isPowerOfTwo(size) && isTreeSize(start) && start % size === 0 && isTreeSize(size) && start + size <= this.size) {
      const offset = (start / size) * HASH_SIZE;
      return this.levels[levelOf(size)].toString('hex', offset, offset + HASH_SIZE);
    }
    return this.subtreeHash(start, size).toString('hex');
  }

  private hashRanges(ranges: number[]): Buffer[] {
    const hashes: Buffer[] = [];
    for (let i = 0; i < ranges.length; i += 2) hashes.push(this.subtreeHash(ranges[i], ranges[i + 1]));
    return hashes;
  }

  /** A copy: callers must not be able to rewrite history through a returned Buffer. */
  private stored(level: number, index: number): Buffer {
    return Buffer.from(this.storedView(level, index));
  }

  private storedView(level: number, index: number): Buffer {
    const offset = index * HASH_SIZE;
    return this.levels[level].subarray(offset, offset + HASH_SIZE);
  }

  private store(level: number, hash: Uint8Array | string): void {
    if (level === this.levels.length) {
      this.levels.push(Buffer.alloc(INITIAL_CAPACITY * HASH_SIZE));
      this.counts.push(0);
    }
    let storage = this.levels[level];
    const offset = this.counts[level] * HASH_SIZE;
    if (offset + HASH_SIZE > storage.length) {
      const grown = Buffer.alloc(storage.length * 2);
      storage.copy(grown);
      this.levels[level] = storage = grown;
    }
    if (typeof hash === 'string') storage.write(hash, offset, HASH_SIZE, 'latin1');
    else storage.set(hash, offset);
    this.counts[level]++;
  }

  private assertRange(what: string, value: number, min: number, max: number): void {
    if (!isTreeSize(value) || value < min || value > max) {
      throw new RangeError(`${what} must be an integer in [${min}, ${max}], got ${String(value)}`);
    }
  }
}
