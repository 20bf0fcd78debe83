import type { SignatureAlgorithm, SigningKey } from '@tongban/envelope';
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import type { JsonWebKey } from 'node:crypto';

/** Test-only: a fresh key pair whose kid is its RFC 7638 thumbprint, as pki issues them. */
export async function generateTestKey(alg: SignatureAlgorithm): Promise<{ signingKey: SigningKey; publicJwk: JsonWebKey }> {
  const { privateKey, publicKey } = await generateKeyPair(alg === 'ES256' ? 'ES256' : 'Ed25519', { extractable: true });
  const publicBase = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicBase);
  return {
    signingKey: { kid, alg, privateJwk: { ...(await exportJWK(privateKey)), kid } as JsonWebKey },
    publicJwk: { ...publicBase, kid, use: 'sig' } as JsonWebKey,
  };
}

/** Test-only: the n-th UUID v7 of a test (fixed timestamp, counter in the random bits). */
export function testUuidV7(n: number): string {
  return `0192f5c4-8e7a-7${(n >> 12).toString(16).padStart(3, '0')}-8${(n & 0xfff).toString(16).padStart(3, '0')}-${n.toString(16).padStart(12, '0')}`;
}
