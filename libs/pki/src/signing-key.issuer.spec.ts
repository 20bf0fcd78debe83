import { calculateJwkThumbprint, CompactSign, compactVerify, importJWK } from 'jose';
import { issueSigningKey, jwkThumbprint, publicJwkOf, type SigningAlg } from './signing-key.issuer';

describe('issueSigningKey', () => {
  it.each<[SigningAlg, Record<string, string>]>([
    ['ES256', { kty: 'EC', crv: 'P-256' }],
    ['EdDSA', { kty: 'OKP', crv: 'Ed25519' }],
  ])('issues a %s key pair that signs and verifies a JWS with jose', async (alg, shape) => {
    const { privateJwk, publicJwk } = await issueSigningKey(alg);
    expect(publicJwk).toMatchObject({ ...shape, alg, use: 'sig', kid: privateJwk.kid });
    expect(publicJwk.d).toBeUndefined();
    expect(privateJwk.kid).toBe(await calculateJwkThumbprint({ kty: publicJwk.kty, crv: publicJwk.crv, x: publicJwk.x, y: publicJwk.y }, 'sha256'));

    const payload = new TextEncoder().encode('{"caseId":"c-1"}');
    const jws = await new CompactSign(payload).setProtectedHeader({ alg, kid: privateJwk.kid }).sign(await importJWK(privateJwk, alg));
    const verified = await compactVerify(jws, await importJWK(publicJwk, alg));
    expect(new TextDecoder().decode(verified.payload)).toBe('{"caseId":"c-1"}');
    expect(verified.protectedHeader.kid).toBe(publicJwk.kid);

    const other = await issueSigningKey(alg);
    await expect(compactVerify(jws, await importJWK(other.publicJwk, alg))).rejects.toThrow();
  });

  it('uses the kid it is given', async () => {
    const { privateJwk, publicJwk } = await issueSigningKey('EdDSA', 'district-440303-2026');
    expect(privateJwk.kid).toBe('district-440303-2026');
    expect(publicJwk.kid).toBe('district-440303-2026');
  });

  it('derives the public JWK from a private one without any private member', async () => {
    const { privateJwk, publicJwk } = await issueSigningKey('ES256');
    expect(publicJwkOf(privateJwk)).toEqual(publicJwk);
  });

  it('computes the RFC 7638 example thumbprint', () => {
    // RFC 7638 §3.1 example key.
    const n =
      '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw';
    expect(jwkThumbprint({ kty: 'RSA', n, e: 'AQAB' })).toBe('NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
  });
});
