import { createHash } from 'node:crypto';

/**
 * `sha256:<64 lowercase hex>`. The algorithm prefix keeps stored digests self-describing so that a
 * later move to SM3 (GB/T 39786) can coexist with old records instead of being ambiguous.
 */
export function sha256Digest(bytes: string | Uint8Array): string {
  // Strings are hashed as UTF-8, which is how a JWS travels on the wire.
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}
