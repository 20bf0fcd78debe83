import { emptyRootHash, leafHash, nodeHash } from './merkle';
import { MerkleTree } from './merkle.tree';
import { rootFromInclusion, verifyConsistency, verifyInclusion } from './merkle.verify';
import { CONSISTENCY_VECTORS, EMPTY_TREE_HASH_HEX, INCLUSION_VECTORS, LEAF_INPUTS_HEX, ROOTS_HEX } from './merkle.vectors.fixture';
import { RootAccumulator } from './root.accumulator';

const h = (hex: string): Buffer => Buffer.from(hex, 'hex');
const hexes = (buffers: Buffer[]): string[] => buffers.map((b) => b.toString('hex'));
const leafHashes = LEAF_INPUTS_HEX.map((hex) => leafHash(h(hex)));
const someHash = h('abacaba000000000000000000000000000000000000000000060061e00123456');
const flipBit = (b: Uint8Array, bit: number): Buffer => {
  const copy = Buffer.from(b);
  copy[0] ^= 1 << bit;
  return copy;
};

describe('RFC 9162 hashing (CT reference vectors)', () => {
  it('hashes the empty tree as SHA-256("")', () => {
    expect(emptyRootHash().toString('hex')).toBe(EMPTY_TREE_HASH_HEX);
    expect(new MerkleTree().rootAt(0).toString('hex')).toBe(EMPTY_TREE_HASH_HEX);
    expect(new RootAccumulator().root().toString('hex')).toBe(EMPTY_TREE_HASH_HEX);
  });

  it('separates leaves from nodes with the 0x00 / 0x01 prefixes', () => {
    expect(leafHash(new Uint8Array()).toString('hex')).toBe(ROOTS_HEX[0]);
    expect(nodeHash(leafHashes[0], leafHashes[1]).toString('hex')).toBe(ROOTS_HEX[1]);
    expect(leafHash('通办')).toEqual(leafHash(Buffer.from('通办', 'utf8')));
  });

  it('gives the reference root for every size 1..8, incrementally and for past sizes', () => {
    const tree = new MerkleTree();
    const accumulator = new RootAccumulator();
    leafHashes.forEach((hash, i) => {
      expect(tree.append(hash)).toBe(i);
      accumulator.push(hash);
      expect(tree.rootAt().toString('hex')).toBe(ROOTS_HEX[i]);
      expect(accumulator.root().toString('hex')).toBe(ROOTS_HEX[i]);
      expect(accumulator.size).toBe(i + 1);
      for (let j = 0; j <= i; j++) expect(tree.rootAt(j + 1).toString('hex')).toBe(ROOTS_HEX[j]);
    });
    expect(MerkleTree.fromLeafHashes(leafHashes).rootAt().toString('hex')).toBe(
      '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
    );
  });

  it('refuses sizes and indices outside the tree', () => {
    const tree = MerkleTree.fromLeafHashes(leafHashes);
    expect(() => tree.rootAt(9)).toThrow(RangeError);
    expect(() => tree.inclusionProof(8, 8)).toThrow(RangeError);
    expect(() => tree.inclusionProof(0, 0)).toThrow(RangeError);
    expect(() => tree.inclusionProof(-1, 8)).toThrow(RangeError);
    expect(() => tree.consistencyProof(0, 8)).toThrow(RangeError);
    expect(() => tree.consistencyProof(5, 4)).toThrow(RangeError);
    expect(() => tree.append(Buffer.alloc(31))).toThrow(TypeError);
    expect(() => tree.subtreeHash(1, 2)).toThrow(RangeError);
  });
});

describe('inclusion proofs (CT reference vectors)', () => {
  const tree = MerkleTree.fromLeafHashes(leafHashes);

  it.each(INCLUSION_VECTORS)('leaf $leaf of $size: the tree produces the reference path', ({ leaf, size, proof }) => {
    expect(hexes(tree.inclusionProof(leaf - 1, size))).toEqual(proof);
  });

  it.each(INCLUSION_VECTORS)('leaf $leaf of $size: the reference path verifies, and no corruption of it does', ({ leaf, size, proof: hexProof }) => {
    const index = leaf - 1;
    const proof = hexProof.map(h);
    const root = h(ROOTS_HEX[size - 1]);
    const hash = leafHashes[index];
    expect(rootFromInclusion(hash, index, size, proof)?.toString('hex')).toBe(ROOTS_HEX[size - 1]);
    expect(verifyInclusion(hash, index, size, proof, root)).toBe(true);

    // The probes of transparency-dev/merkle proof/verify_test.go, corruptInclusionProof.
    const probes: Array<[string, Uint8Array, number, number, Uint8Array[], Uint8Array]> = [
      ['index - 1', hash, index - 1, size, proof, root],
      ['index + 1', hash, index + 1, size, proof, root],
      ['index ^ 2', hash, index ^ 2, size, proof, root],
      ['size * 2', hash, index, size * 2, proof, root],
      ['size / 2', hash, index, Math.floor(size / 2), proof, root],
      ['wrong leaf', Buffer.from('WrongLeaf'), index, size, proof, root],
      ['empty root', hash, index, size, proof, h(EMPTY_TREE_HASH_HEX)],
      ['random root', hash, index, size, proof, someHash],
      ['trailing garbage', hash, index, size, [...proof, Buffer.alloc(0)], root],
      ['trailing root', hash, index, size, [...proof, root], root],
      ['preceding garbage', hash, index, size, [Buffer.alloc(0), ...proof], root],
      ['preceding root', hash, index, size, [root, ...proof], root],
      ...proof.map((_, i): [string, Uint8Array, number, number, Uint8Array[], Uint8Array] => [
        `modified proof[${i}] bit 3`,
        hash,
        index,
        size,
        proof.map((p, j) => (i === j ? flipBit(p, 3) : p)),
        root,
      ]),
    ];
    if (proof.length > 0) probes.push(['removed component', hash, index, size, proof.slice(0, -1), root]);
    if (proof.length > 1) probes.push(['inserted component', hash, index, size, [proof[0], someHash, ...proof.slice(1)], root]);
    const accepted = probes.filter(([, l, i, n, p, r]) => verifyInclusion(l, i, n, p, r)).map(([desc]) => desc);
    expect(accepted).toEqual([]);
  });

  it('refuses degenerate inputs without throwing', () => {
    for (const [index, size] of [[0, 0], [0, 1], [1, 0], [2, 1]]) {
      expect(verifyInclusion(someHash, index, size, [], Buffer.alloc(0))).toBe(false);
      expect(verifyInclusion(Buffer.alloc(0), index, size, [], h(EMPTY_TREE_HASH_HEX))).toBe(false);
      expect(verifyInclusion(someHash, index, size, [], h(EMPTY_TREE_HASH_HEX))).toBe(false);
    }
    const single = leafHash(Buffer.from('data'));
    expect(verifyInclusion(single, 0, 1, [], single)).toBe(true);
    expect(verifyInclusion(single, 0, 1, [], Buffer.alloc(0))).toBe(false);
    expect(verifyInclusion(single, 0.5, 1, [], single)).toBe(false);
    expect(verifyInclusion(single, 0, 1, 'nope' as unknown as Uint8Array[], single)).toBe(false);
  });
});

describe('consistency proofs (CT reference vectors)', () => {
  const tree = MerkleTree.fromLeafHashes(leafHashes);

  it.each(CONSISTENCY_VECTORS)('$size1 → $size2: the tree produces the reference proof', ({ size1, size2, proof }) => {
    expect(hexes(tree.consistencyProof(size1, size2))).toEqual(proof);
  });

  it.each(CONSISTENCY_VECTORS)('$size1 → $size2: the reference proof verifies, and no corruption of it does', ({ size1, size2, proof: hexProof }) => {
    const proof = hexProof.map(h);
    const root1 = h(ROOTS_HEX[size1 - 1]);
    const root2 = h(ROOTS_HEX[size2 - 1]);
    expect(verifyConsistency(size1, size2, root1, root2, proof)).toBe(true);
    if (proof.length === 0) return;

    // The probes of transparency-dev/merkle proof/verify_test.go, corruptConsistencyProof.
    const wrongRoot = Buffer.from('WrongRoot');
    const probes: Array<[string, number, number, Uint8Array, Uint8Array, Uint8Array[]]> = [
      ['size1 - 1', size1 - 1, size2, root1, root2, proof],
      ['size1 + 1', size1 + 1, size2, root1, root2, proof],
      ['size1 ^ 2', size1 ^ 2, size2, root1, root2, proof],
      ['size2 * 2', size1, size2 * 2, root1, root2, proof],
      ['size2 / 2', size1, Math.floor(size2 / 2), root1, root2, proof],
      ['wrong root1', size1, size2, wrongRoot, root2, proof],
      ['wrong root2', size1, size2, root1, wrongRoot, proof],
      ['swapped roots', size1, size2, root2, root1, proof],
      ['empty proof', size1, size2, root1, root2, []],
      ['trailing garbage', size1, size2, root1, root2, [...proof, Buffer.alloc(0)]],
      ['trailing root1', size1, size2, root1, root2, [...proof, root1]],
      ['trailing root2', size1, size2, root1, root2, [...proof, root2]],
      ['preceding garbage', size1, size2, root1, root2, [Buffer.alloc(0), ...proof]],
      ['preceding root1', size1, size2, root1, root2, [root1, ...proof]],
      ['preceding root2', size1, size2, root1, root2, [root2, ...proof]],
      ['preceding proof[0]', size1, size2, root1, root2, [proof[0], ...proof]],
      ['truncated proof', size1, size2, root1, root2, proof.slice(0, -1)],
      ...proof.map((_, i): [string, number, number, Uint8Array, Uint8Array, Uint8Array[]] => [
        `modified proof[${i}] bit 4`,
        size1,
        size2,
        root1,
        root2,
        proof.map((p, j) => (i === j ? flipBit(p, 4) : p)),
      ]),
    ];
    const accepted = probes.filter(([, m, n, r1, r2, p]) => verifyConsistency(m, n, r1, r2, p)).map(([desc]) => desc);
    expect(accepted).toEqual([]);
  });

  it('defines the edge cases: m = n, m = 0, m > n', () => {
    const empty = h(EMPTY_TREE_HASH_HEX);
    const root1 = h(ROOTS_HEX[0]);
    const root2 = h(ROOTS_HEX[1]);
    expect(tree.consistencyProof(4, 4)).toEqual([]);
    expect(verifyConsistency(1, 1, root1, root1, [])).toBe(true);
    expect(verifyConsistency(1, 1, root1, root2, [])).toBe(false);
    expect(verifyConsistency(1, 1, root1, root1, [empty])).toBe(false);
    expect(verifyConsistency(0, 0, empty, empty, [])).toBe(true);
    expect(verifyConsistency(0, 8, empty, root2, [])).toBe(true);
    expect(verifyConsistency(0, 8, root1, root2, [])).toBe(false);
    expect(verifyConsistency(0, 1, empty, root1, [empty])).toBe(false);
    expect(verifyConsistency(1, 0, root1, empty, [])).toBe(false);
    expect(verifyConsistency(2, 1, root2, root1, [])).toBe(false);
    expect(verifyConsistency(1, 2, root1, root2, [])).toBe(false);
  });
});
