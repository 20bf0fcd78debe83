import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { emptyRootHash, leafHash, nodeHash } from './merkle';
import { MerkleTree } from './merkle.tree';
import { verifyConsistency, verifyInclusion } from './merkle.verify';
import { RootAccumulator } from './root.accumulator';

// Straight transcriptions of the recursive definitions of RFC 9162 §2.1, to cross-check the
// level-storing tree against.
function splitOf(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}
function mth(leaves: Buffer[]): Buffer {
  if (leaves.length === 0) return emptyRootHash();
  if (leaves.length === 1) return leaves[0];
  const k = splitOf(leaves.length);
  return nodeHash(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}
function path(m: number, leaves: Buffer[]): Buffer[] {
  if (leaves.length <= 1) return [];
  const k = splitOf(leaves.length);
  return m < k ? [...path(m, leaves.slice(0, k)), mth(leaves.slice(k))] : [...path(m - k, leaves.slice(k)), mth(leaves.slice(0, k))];
}
function subproof(m: number, leaves: Buffer[], b: boolean): Buffer[] {
  if (m === leaves.length) return b ? [] : [mth(leaves)];
  const k = splitOf(leaves.length);
  return m <= k
    ? [...subproof(m, leaves.slice(0, k), b), mth(leaves.slice(k))]
    : [...subproof(m - k, leaves.slice(k), false), mth(leaves.slice(0, k))];
}

const leavesOf = (n: number, seed: number): Buffer[] =>
  Array.from({ length: n }, (_, i) => leafHash(createHash('sha256').update(`${seed}/${i}`).digest()));

function flip(buffer: Uint8Array, bit: number): Buffer {
  const copy = Buffer.from(buffer);
  copy[Math.floor(bit / 8) % copy.length] ^= 1 << bit % 8;
  return copy;
}

describe('Merkle tree properties (random sizes ≤ 300)', () => {
  const sizeAndSeed = fc.record({ n: fc.integer({ min: 1, max: 300 }), seed: fc.nat() });

  it('agrees with the recursive definitions of MTH, PATH and PROOF, and RootAccumulator with MTH', () => {
    fc.assert(
      fc.property(sizeAndSeed, fc.nat(), fc.nat(), ({ n, seed }, a, b) => {
        const leaves = leavesOf(n, seed);
        const tree = MerkleTree.fromLeafHashes(leaves);
        const accumulator = new RootAccumulator();
        leaves.forEach((leaf) => accumulator.push(leaf));
        expect(accumulator.root()).toEqual(mth(leaves));
        const size = 1 + (a % n);
        const index = b % size;
        expect(tree.rootAt(size)).toEqual(mth(leaves.slice(0, size)));
        expect(tree.inclusionProof(index, size)).toEqual(path(index, leaves.slice(0, size)));
        const m = 1 + (b % size);
        expect(tree.consistencyProof(m, size)).toEqual(subproof(m, leaves.slice(0, size), true));
      }),
      { numRuns: 100 },
    );
  });

  it('every inclusion proof and every consistency proof of a tree verifies', () => {
    fc.assert(
      fc.property(sizeAndSeed, ({ n, seed }) => {
        const leaves = leavesOf(n, seed);
        const tree = MerkleTree.fromLeafHashes(leaves);
        const root = tree.rootAt(n);
        for (let i = 0; i < n; i++) {
          if (!verifyInclusion(leaves[i], i, n, tree.inclusionProof(i, n), root)) return false;
        }
        for (let m = 0; m <= n; m++) {
          const proof = m === 0 ? [] : tree.consistencyProof(m, n);
          if (!verifyConsistency(m, n, tree.rootAt(m), root, proof)) return false;
        }
        return true;
      }),
      { numRuns: 25 },
    );
  });

  it('a flipped bit in a proof element, the root or the leaf makes an inclusion proof fail', () => {
    fc.assert(
      fc.property(sizeAndSeed, fc.nat(), fc.nat(), fc.constantFrom('proof', 'root', 'leaf'), ({ n, seed }, at, bit, target) => {
        const leaves = leavesOf(n, seed);
        const tree = MerkleTree.fromLeafHashes(leaves);
        const index = at % n;
        const proof = tree.inclusionProof(index, n);
        let leaf = leaves[index];
        let root = tree.rootAt(n);
        if (target === 'proof' && proof.length > 0) {
          const k = at % proof.length;
          proof[k] = flip(proof[k], bit % 256);
        } else if (target === 'root') {
          root = flip(root, bit % 256);
        } else {
          leaf = flip(leaf, bit % 256);
        }
        return !verifyInclusion(leaf, index, n, proof, root);
      }),
      { numRuns: 300 },
    );
  });

  it('a flipped bit in a proof element or either root makes a consistency proof fail', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 300 }), fc.nat(), fc.nat(), fc.nat(), fc.constantFrom('proof', 'old root', 'new root'), (n, seed, at, bit, target) => {
        const tree = MerkleTree.fromLeafHashes(leavesOf(n, seed));
        const m = 1 + (at % (n - 1)); // 0 < m < n: a proof with elements
        const proof = tree.consistencyProof(m, n);
        let rootM = tree.rootAt(m);
        let rootN = tree.rootAt(n);
        if (target === 'proof') {
          const k = at % proof.length;
          proof[k] = flip(proof[k], bit % 256);
        } else if (target === 'old root') {
          rootM = flip(rootM, bit % 256);
        } else {
          rootN = flip(rootN, bit % 256);
        }
        return !verifyConsistency(m, n, rootM, rootN, proof);
      }),
      { numRuns: 300 },
    );
  });
});
