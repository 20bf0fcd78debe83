import { createHash, hash } from 'node:crypto';

/** SHA-256 output size: every leaf hash, node hash, root and proof element has exactly this length. */
export const HASH_SIZE = 32;

// RFC 9162 §2.1.1 domain separation: a leaf can never be passed off as an interior node.
const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = 0x01;

/** MTH({}) = SHA-256 of the empty string (RFC 9162 §2.1.1). Internal: exported copies only. */
export const EMPTY_ROOT_HASH: Buffer = createHash('sha256').digest();

/*
 * Hashing is the verifier's hot path, and for inputs this small the cost is not SHA-256 but the
 * call and, above all, allocating the result Buffer. One-shot crypto.hash with a 'binary' (latin1)
 * string result, one char per byte, is about 2.5× faster than a Buffer result, so the hot paths carry
 * hashes as such "binary strings" and convert at the API boundary.
 */
const nodeInput = Buffer.alloc(1 + 2 * HASH_SIZE);
nodeInput[0] = NODE_PREFIX;

/** Internal: leaf hash of a leaf text (its UTF-8 bytes), as a binary string. */
export function leafHashBinary(text: string): string {
  // U+0000 is the single byte 0x00 in UTF-8, so the prefix can travel inside the string.
  return hash('sha256', `\0${text}`, 'binary');
}

/** Internal: node hash of two 32-byte binary strings, as a binary string. */
export function nodeHashBinary(left: string, right: string): string {
  // Synchronous, so one shared input buffer is safe.
  nodeInput.write(left, 1, HASH_SIZE, 'latin1');
  nodeInput.write(right, 1 + HASH_SIZE, HASH_SIZE, 'latin1');
  return hash('sha256', nodeInput, 'binary');
}

/** Internal: node hash of the 64 bytes at `offset` in `storage` (left then right), as a binary string. */
export function nodeHashOfPair(storage: Buffer, offset: number): string {
  storage.copy(nodeInput, 1, offset, offset + 2 * HASH_SIZE);
  return hash('sha256', nodeInput, 'binary');
}

export function toBinary(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

export function fromBinary(binary: string): Buffer {
  return Buffer.from(binary, 'latin1');
}

/** Leaf hash of `data`: SHA-256(0x00 || data). A string is hashed as its UTF-8 bytes. */
export function leafHash(data: Uint8Array | string): Buffer {
  if (typeof data === 'string') return fromBinary(leafHashBinary(data));
  return createHash('sha256').update(LEAF_PREFIX).update(data).digest();
}

/** Interior node hash: SHA-256(0x01 || left || right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  if (left.length !== HASH_SIZE || right.length !== HASH_SIZE) {
    return createHash('sha256').update(Buffer.from([NODE_PREFIX])).update(left).update(right).digest();
  }
  nodeInput.set(left, 1);
  nodeInput.set(right, 1 + HASH_SIZE);
  return fromBinary(hash('sha256', nodeInput, 'binary'));
}

/** A copy of the empty-tree root, so that no caller can alter the shared constant. */
export function emptyRootHash(): Buffer {
  return Buffer.from(EMPTY_ROOT_HASH);
}
