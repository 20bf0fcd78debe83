import { calculateJwkThumbprint, type JWK } from 'jose';
import { generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import type { SignatureAlgorithm, SigningKey } from './envelope.types';
import { MessageType } from './message-type';
import type { EnvelopeBody } from './envelope.types';

/** Test-only: a fresh key pair whose kid is its RFC 7638 thumbprint, as pki issues them. */
export async function testKey(alg: SignatureAlgorithm): Promise<{ signingKey: SigningKey; publicJwk: JsonWebKey }> {
  const { privateKey, publicKey } =
    alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('ed25519');
  const publicBase = publicKey.export({ format: 'jwk' });
  const kid = await calculateJwkThumbprint(publicBase as JWK);
  return {
    signingKey: { kid, alg, privateJwk: { ...privateKey.export({ format: 'jwk' }), kid, alg } },
    publicJwk: { ...publicBase, kid, alg, use: 'sig' },
  };
}

/** Test-only: a body that passes every envelope rule. */
export function testBody(overrides: Partial<EnvelopeBody> = {}): EnvelopeBody {
  return {
    messageId: '0192f5c4-8e7a-7c3e-9b1d-4a2f6e8c0d13',
    caseNumber: 'LH-2026-000123',
    collaborationId: 'XT-440303-440106-2026-0001',
    sender: '440303',
    recipient: '440106',
    messageType: MessageType.CASE_SUBMISSION,
    sentAt: '2026-03-02T09:15:00+08:00',
    payload: { caseType: '2', note: '异地代收 é 😀', amount: 4.5 },
    ...overrides,
  };
}
