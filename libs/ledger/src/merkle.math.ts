/**
 * Tree-shape arithmetic of RFC 9162 §2.1. Sizes and indices are plain numbers: the bit operators
 * of JavaScript are 32-bit, so everything here divides instead and works up to 2^53.
 */

export function isTreeSize(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

export function isPowerOfTwo(n: number): boolean {
  // Bit tricks below 2^31 (the common case, on hot paths); halving above.
  if (n >= 1 && n < 0x80000000) return (n & (n - 1)) === 0;
  if (n < 1) return false;
  while (n % 2 === 0) n /= 2;
  return n === 1;
}

/** The k of RFC 9162: the largest power of two strictly smaller than n (n ≥ 2). */
export function splitPoint(n: number): number {
  // 1 << (position of the highest bit of n - 1): a hot path of every proof.
  if (n >= 2 && n <= 0x80000000) return 1 << (31 - Math.clz32(n - 1));
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** log2 of a power of two. */
export function levelOf(powerOfTwo: number): number {
  if (powerOfTwo < 0x80000000) return 31 - Math.clz32(powerOfTwo);
  let level = 0;
  for (let s = powerOfTwo; s > 1; s /= 2) level++;
  return level;
}

/**
 * The subtrees whose hashes make up PATH(index, D[n]) (RFC 9162 §2.1.3.1), leaf to root, as a flat
 * list [start0, size0, start1, size1, ...]. Lets a prover and a checker agree on what each proof
 * element is without hashing anything.
 */
export function inclusionPathRanges(index: number, n: number): number[] {
  const ranges: number[] = [];
  ranges.length = 2 * inclusionPathRangesInto(index, n, ranges);
  return ranges;
}

/** inclusionPathRanges written into `out` (reused by hot loops); returns the number of elements. */
export function inclusionPathRangesInto(index: number, n: number, out: number[]): number {
  let depth = 0;
  for (let size = n, start = 0; size > 1; depth++) {
    const k = splitPoint(size);
    if (index - start < k) {
      size = k;
    } else {
      start += k;
      size -= k;
    }
  }
  // Second walk, top-down, filling from the end: PATH lists the deepest sibling first.
  let at = depth;
  let start = 0;
  let size = n;
  while (size > 1) {
    const k = splitPoint(size);
    at--;
    if (index - start < k) {
      out[2 * at] = start + k;
      out[2 * at + 1] = size - k;
      size = k;
    } else {
      out[2 * at] = start;
      out[2 * at + 1] = k;
      start += k;
      size -= k;
    }
  }
  return depth;
}

/**
 * The subtrees whose hashes make up PROOF(m, D[n]) = SUBPROOF(m, D[n], true) (RFC 9162 §2.1.4.1),
 * in proof order, as a flat list [start0, size0, ...]. Requires 0 < m ≤ n.
 */
export function consistencyProofRanges(m: number, n: number): number[] {
  const topDown: number[] = [];
  let start = 0;
  let size = n;
  let mInSubtree = m;
  let haveRoot = true;
  while (mInSubtree !== size) {
    const k = splitPoint(size);
    if (mInSubtree <= k) {
      // The old tree lies in the left subtree; the right one is new.
      topDown.push(start + k, size - k);
      size = k;
    } else {
      // The left subtree is the same in both trees; recurse into the right one.
      topDown.push(start, k);
      start += k;
      size -= k;
      mInSubtree -= k;
      haveRoot = false;
    }
  }
  // SUBPROOF(m, D[m], false) = [MTH(D[m])]: the old root is not a node the verifier already has.
  if (!haveRoot) topDown.push(start, size);
  const ranges: number[] = [];
  for (let i = topDown.length - 2; i >= 0; i -= 2) ranges.push(topDown[i], topDown[i + 1]);
  return ranges;
}
