import { createHash, createPublicKey, generateKeyPair, type JsonWebKey, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { PkiError, PkiErrorCode } from './pki.error';

/** ES256 and EdDSA now; an SM2 profile would be added here (DOMAIN.md §7, algorithm agility). */
export type SigningAlg = 'ES256' | 'EdDSA';
export const SIGNING_ALGS: readonly SigningAlg[] = ['ES256', 'EdDSA'];

export type SigningPrivateJwk = JsonWebKey & { kid: string; alg: string };
export type SigningPublicJwk = JsonWebKey & { kid: string; alg: string; use: 'sig' };

const generateKeyPairAsync = promisify(generateKeyPair);

/** JWS keys need no certificate: partners exchange the public JWKS out of band (alliance config). */
export async function issueSigningKey(alg: SigningAlg, kid?: string): Promise<{ privateJwk: SigningPrivateJwk; publicJwk: SigningPublicJwk }> {
  let privateKey: KeyObject;
  if (alg === 'ES256') {
    ({ privateKey } = await generateKeyPairAsync('ec', { namedCurve: 'P-256' }));
  } else if (alg === 'EdDSA') {
    ({ privateKey } = await generateKeyPairAsync('ed25519'));
  } else {
    throw new PkiError(PkiErrorCode.UNSUPPORTED_ALGORITHM, `unsupported signing algorithm ${String(alg)}`);
  }
  const publicBase = createPublicKey(privateKey).export({ format: 'jwk' });
  const keyId = kid ?? jwkThumbprint(publicBase);
  const publicJwk: SigningPublicJwk = { ...publicBase, kid: keyId, alg, use: 'sig' };
  const privateJwk: SigningPrivateJwk = { ...privateKey.export({ format: 'jwk' }), kid: keyId, alg, use: 'sig' };
  return { privateJwk, publicJwk };
}

/** The public half of a private JWK (drops every private member). */
export function publicJwkOf(privateJwk: SigningPrivateJwk): SigningPublicJwk {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, oth: _oth, ...rest } = privateJwk as SigningPrivateJwk & { oth?: unknown };
  return { ...rest, use: 'sig' };
}

/** RFC 7638: SHA-256 over the required members in lexicographic order, base64url. */
export function jwkThumbprint(jwk: JsonWebKey): string {
  let members: Record<string, unknown>;
  if (jwk.kty === 'EC') members = { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y };
  else if (jwk.kty === 'OKP') members = { crv: jwk.crv, kty: jwk.kty, x: jwk.x };
  else if (jwk.kty === 'RSA') members = { e: jwk.e, kty: jwk.kty, n: jwk.n };
  else throw new PkiError(PkiErrorCode.UNSUPPORTED_ALGORITHM, `cannot compute a thumbprint for kty ${String(jwk.kty)}`);
  return createHash('sha256').update(JSON.stringify(members)).digest('base64url');
}
