import { HASH_SIZE } from './merkle';

const HASH_HEX_RE = /^[0-9a-f]{64}$/;

/** One spelling only (lowercase), so that equal hashes are equal strings. */
export function isHashHex(value: unknown): value is string {
  return typeof value === 'string' && value.length === HASH_SIZE * 2 && HASH_HEX_RE.test(value);
}

/** Hex proof elements as hashes, or the position of the first one that is not a hash. */
export function parseHashes(hexes: readonly string[]): Buffer[] | number {
  const hashes: Buffer[] = [];
  for (let i = 0; i < hexes.length; i++) {
    if (!isHashHex(hexes[i])) return i;
    hashes.push(Buffer.from(hexes[i], 'hex'));
  }
  return hashes;
}
