import { importJWK, type JWK } from 'jose';
import { createPublicKey, type JsonWebKey, type KeyObject, type webcrypto } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import { EnvelopeError, EnvelopeErrorCode } from './envelope.error';
import type { SignatureAlgorithm } from './envelope.types';
import { isSignatureAlgorithm } from './jws.codec';

interface RingEntry {
  jwk: JsonWebKey;
  alg: SignatureAlgorithm;
  /** RFC 7638 thumbprint input: identifies the key material whatever optional members it carries. */
  material: string;
  /** Imported once, on first use; a rejected import is dropped so that it can be retried. */
  imported?: Promise<webcrypto.CryptoKey | KeyObject>;
}

// Private members that must never sit in a public key ring (RFC 7518 §6.2.2, §6.3.2; RFC 8037).
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

/** Which of our algorithms a JWK can serve, from its key type and curve, plus its RFC 7638 members. */
function describe(jwk: JsonWebKey): { alg: SignatureAlgorithm; material: string } | null {
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') {
    return { alg: 'ES256', material: canonicalJson({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y }) };
  }
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') {
    return { alg: 'EdDSA', material: canonicalJson({ crv: jwk.crv, kty: jwk.kty, x: jwk.x }) };
  }
  return null;
}

/**
 * Public keys by owner (district id or 'gateway') and kid. Several kids per owner let a district
 * rotate: publish the new key, switch signing, retire the old one later. Keys must carry their kid
 * (pki's issueSigningKey sets the RFC 7638 thumbprint): verification never tries keys in turn.
 *
 * A bad key set is a configuration error and throws TypeError at add(), i.e. at boot, rather than
 * failing message by message later.
 */
export class KeyRing {
  private readonly byOwner = new Map<string, Map<string, RingEntry>>();

  constructor(entries: Array<{ owner: string; jwks: { keys: JsonWebKey[] } }> = []) {
    for (const { owner, jwks } of entries) this.add(owner, jwks);
  }

  /** Adds keys; re-adding the same key is a no-op, another key under a known kid is refused. */
  add(owner: string, jwks: { keys: JsonWebKey[] }): void {
    if (typeof owner !== 'string' || owner === '') throw new TypeError('key ring owner must be a non-empty string');
    if (!jwks || !Array.isArray(jwks.keys)) throw new TypeError(`keys of "${owner}": expected a JWK Set ({ keys: [...] })`);
    // Validate the whole set first so that a bad set leaves the ring unchanged.
    const existing = this.byOwner.get(owner);
    const staged = new Map<string, RingEntry>();
    for (const jwk of jwks.keys) {
      const kid = jwk?.kid;
      const where = `key "${String(kid)}" of "${owner}"`;
      if (typeof kid !== 'string' || kid === '') throw new TypeError(`keys of "${owner}": every key needs a kid`);
      // A private key in a public ring means the config leaked it: fail loudly instead of stripping.
      if (PRIVATE_MEMBERS.some((m) => m in jwk)) throw new TypeError(`${where} contains private key material`);
      if (jwk.use !== undefined && jwk.use !== 'sig') throw new TypeError(`${where} is not a signature key (use=${String(jwk.use)})`);
      const described = describe(jwk);
      if (!described) throw new TypeError(`${where} is neither an EC P-256 nor an Ed25519 key`);
      const { alg, material } = described;
      // RFC 9864 calls Ed25519 "Ed25519"; older JWKs say "EdDSA". Either is fine for an Ed25519 key.
      if (jwk.alg !== undefined && jwk.alg !== alg && !(alg === 'EdDSA' && jwk.alg === 'Ed25519')) {
        throw new TypeError(`${where} declares alg ${String(jwk.alg)} but is a ${alg} key`);
      }
      try {
        // Synchronous point/length check now, so a broken coordinate fails at boot, not per message.
        createPublicKey({ key: jwk, format: 'jwk' });
      } catch (error) {
        throw new TypeError(`${where} is not a valid public key: ${(error as Error).message}`);
      }
      const known = staged.get(kid) ?? existing?.get(kid);
      if (known) {
        if (known.material !== material) throw new TypeError(`${where}: kid is already registered with another key`);
        continue;
      }
      // Copy so that later mutation of the caller's config object cannot swap a trusted key.
      staged.set(kid, { jwk: JSON.parse(JSON.stringify(jwk)) as JsonWebKey, alg, material });
    }
    const target = existing ?? new Map<string, RingEntry>();
    for (const [kid, entry] of staged) target.set(kid, entry);
    if (target.size > 0) this.byOwner.set(owner, target);
  }

  kids(owner: string): string[] {
    return [...(this.byOwner.get(owner)?.keys() ?? [])];
  }

  /** Owners with at least one key, for diagnostics and config checks. */
  owners(): string[] {
    return [...this.byOwner.keys()];
  }

  async resolve(owner: string, kid: string, alg: string): Promise<webcrypto.CryptoKey | KeyObject> {
    const entry = this.byOwner.get(owner)?.get(kid);
    if (!entry) {
      throw new EnvelopeError(EnvelopeErrorCode.UNKNOWN_KID, `kid "${kid}" is not registered for "${owner}"`, {
        owner,
        kid,
        knownKids: this.kids(owner),
      });
    }
    if (!isSignatureAlgorithm(alg) || entry.alg !== alg) {
      throw new EnvelopeError(EnvelopeErrorCode.ALG_MISMATCH, `kid "${kid}" of "${owner}" is a ${entry.alg} key, not ${alg}`, {
        owner,
        kid,
        alg,
        keyAlg: entry.alg,
      });
    }
    if (!entry.imported) {
      // The `alg`/`use` members were checked in add(); jose re-checks that the key fits `alg`.
      entry.imported = (importJWK(entry.jwk as JWK, alg) as Promise<webcrypto.CryptoKey>).catch((error: unknown) => {
        entry.imported = undefined;
        throw new TypeError(`key "${kid}" of "${owner}" cannot be imported for ${alg}: ${(error as Error).message}`);
      });
    }
    return entry.imported;
  }
}
