import { EMPTY_ROOT_HASH, HASH_SIZE, fromBinary, nodeHashBinary, toBinary } from './merkle';
import { isPowerOfTwo, isTreeSize } from './merkle.math';

/**
 * Proof verification of RFC 9162 §2.1.3.2 and §2.1.4.2, written as in the RFC. Anything malformed
 * (sizes, indices, hashes of the wrong length) simply does not verify: these functions never
 * throw, because their input is by definition untrusted.
 */

function isHash(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array && value.length === HASH_SIZE;
}

function isProof(proof: unknown): proof is readonly Uint8Array[] {
  return Array.isArray(proof) && proof.every(isHash);
}

function isOdd(n: number): boolean {
  return n % 2 === 1;
}

function half(n: number): number {
  return Math.floor(n / 2);
}

/**
 * The root that `proof` leads to from `leafHash` at `index` in a tree of `treeSize` leaves, or null
 * when the proof cannot be one for that position (wrong length, malformed input).
 */
export function rootFromInclusion(leafHash: Uint8Array, index: number, treeSize: number, proof: readonly Uint8Array[]): Buffer | null {
  if (!isHash(leafHash) || !isTreeSize(index) || !isTreeSize(treeSize) || index >= treeSize || !isProof(proof)) return null;
  const root = rootFromBinaryPath(toBinary(leafHash), index, treeSize, proof.map(toBinary));
  return root === null ? null : fromBinary(root);
}

/** The RFC 9162 §2.1.3.2 loop, over binary strings (see merkle.ts) for speed. */
function rootFromBinaryPath(leafHash: string, index: number, treeSize: number, proof: readonly string[]): string | null {
  let fn = index;
  let sn = treeSize - 1;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0) return null;
    if (isOdd(fn) || fn === sn) {
      r = nodeHashBinary(p, r);
      // Climb past the levels where this node has no right sibling (the right edge of the tree).
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = nodeHashBinary(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 ? r : null;
}

/** RFC 9162 §2.1.3.2: whether `proof` shows `leafHash` at `index` in the tree of `treeSize` with `root`. */
export function verifyInclusion(leafHash: Uint8Array, index: number, treeSize: number, proof: readonly Uint8Array[], root: Uint8Array): boolean {
  if (!isHash(leafHash) || !isHash(root) || !isTreeSize(index) || !isTreeSize(treeSize) || index >= treeSize || !isProof(proof)) return false;
  return rootFromBinaryPath(toBinary(leafHash), index, treeSize, proof.map(toBinary)) === toBinary(root);
}

/**
 * RFC 9162 §2.1.4.2: whether `proof` shows that the tree of size m with rootM is a prefix of the
 * tree of size n with rootN. Edge cases, defined here because the RFC only covers 0 < m < n:
 * - m = n: valid iff the proof is empty and the roots are equal;
 * - m = 0: valid iff the proof is empty and rootM is the empty-tree hash (every tree extends it);
 * - m > n: never valid.
 */
export function verifyConsistency(m: number, n: number, rootM: Uint8Array, rootN: Uint8Array, proof: readonly Uint8Array[]): boolean {
  if (!isTreeSize(m) || !isTreeSize(n) || m > n || !isHash(rootM) || !isHash(rootN) || !isProof(proof)) return false;
  if (m === 0) return proof.length === 0 && EMPTY_ROOT_HASH.equals(rootM);
  if (m === n) return proof.length === 0 && Buffer.from(rootM).equals(rootN);
  if (proof.length === 0) return false;

  // The old root is a node of the new tree when m is a power of two: the proof then omits it.
  let path = proof;
  let fn = m - 1;
  let sn = n - 1;
  if (isPowerOfTwo(m)) path = [rootM, ...proof];
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  const binary = path.map(toBinary);
  let fr = binary[0];
  let sr = binary[0];
  for (let i = 1; i < binary.length; i++) {
    const c = binary[i];
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = nodeHashBinary(c, fr);
      sr = nodeHashBinary(c, sr);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = nodeHashBinary(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return fr === toBinary(rootM) && sr === toBinary(rootN) && sn === 0;
}

