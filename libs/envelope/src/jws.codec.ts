import { CompactSign, compactVerify, importJWK, type JWK } from 'jose';
import type { JsonWebKey, webcrypto } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import { EnvelopeError, EnvelopeErrorCode } from './envelope.error';
import type { KeyRing } from './key.ring';
import { SIGNATURE_ALGORITHMS, type SignatureAlgorithm, type SigningKey } from './envelope.types';

const BASE64URL_RE = /^[A-Za-z0-9_-]+$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

export interface CompactParts {
  header: Record<string, unknown>;
  /** Payload bytes decoded as UTF-8, exactly as signed. */
  payloadText: string;
  payload: unknown;
}

function malformed(message: string, detail?: Record<string, unknown>): EnvelopeError {
  return new EnvelopeError(EnvelopeErrorCode.MALFORMED_JWS, message, detail);
}

export function isSignatureAlgorithm(value: unknown): value is SignatureAlgorithm {
  return typeof value === 'string' && (SIGNATURE_ALGORITHMS as readonly string[]).includes(value);
}

/**
 * Base64url without padding, and in its one canonical spelling. Unused trailing bits would
 * otherwise let anyone derive a second string for the same signature, i.e. a second digest
 * for the same message.
 */
function decodeSegment(segment: string, name: string): Buffer {
  if (!BASE64URL_RE.test(segment) || segment.length % 4 === 1) {
    throw malformed(`JWS ${name} is not base64url`);
  }
  const bytes = Buffer.from(segment, 'base64url');
  if (bytes.toString('base64url') !== segment) {
    throw malformed(`JWS ${name} is not canonical base64url`);
  }
  return bytes;
}

/**
 * Splits and parses a compact JWS without verifying it. Header checks are strict (closed set of
 * parameters) because anything we do not understand in a protected header, e.g. `crit`, `b64`,
 * `jwk` or `x5u`, could change how the message must be interpreted.
 */
export function decodeCompact(jws: string, expectedTyp: string, allowedParams: readonly string[]): CompactParts {
  if (typeof jws !== 'string') throw malformed('JWS must be a string');
  const parts = jws.split('.');
  if (parts.length !== 3) throw malformed(`JWS must have 3 dot-separated parts, got ${parts.length}`);
  const [h, p, s] = parts;

  let header: unknown;
  try {
    header = JSON.parse(utf8.decode(decodeSegment(h, 'header')));
  } catch (error) {
    if (error instanceof EnvelopeError) throw error;
    throw malformed('JWS protected header is not UTF-8 JSON');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw malformed('JWS protected header must be a JSON object');
  }
  const hdr = header as Record<string, unknown>;
  if (hdr.typ !== expectedTyp) throw malformed(`JWS typ must be "${expectedTyp}"`, { typ: hdr.typ });
  for (const name of allowedParams) {
    if (typeof hdr[name] !== 'string' || hdr[name] === '') {
      throw malformed(`JWS header parameter "${name}" is missing or not a non-empty string`, { param: name });
    }
  }
  for (const name of Object.keys(hdr)) {
    if (!allowedParams.includes(name)) throw malformed(`JWS header parameter "${name}" is not allowed`, { param: name });
  }
  if (!isSignatureAlgorithm(hdr.alg)) {
    throw malformed(`JWS alg must be one of ${SIGNATURE_ALGORITHMS.join(', ')}`, { alg: hdr.alg });
  }
  decodeSegment(s, 'signature');

  let payloadText: string;
  try {
    payloadText = utf8.decode(decodeSegment(p, 'payload'));
  } catch (error) {
    if (error instanceof EnvelopeError) throw error;
    throw new EnvelopeError(EnvelopeErrorCode.MALFORMED_BODY, 'JWS payload is not UTF-8');
  }
  let payload: unknown;
  try {
    payload = JSON.parse(payloadText);
  } catch {
    throw new EnvelopeError(EnvelopeErrorCode.MALFORMED_BODY, 'JWS payload is not JSON');
  }
  return { header: hdr, payloadText, payload };
}

/**
 * The signature must cover the canonical bytes so that a signed message can be re-serialised,
 * stored as JSON and re-verified later (non-repudiation). Accepting other spellings would make
 * that impossible; duplicate keys and over-long numbers also end up here.
 */
export function assertCanonical(payloadText: string, payload: unknown): void {
  let canonical: string;
  try {
    canonical = canonicalJson(payload);
  } catch (error) {
    // A lone surrogate escape (\ud800) parses but cannot be canonicalised.
    throw new EnvelopeError(EnvelopeErrorCode.NOT_CANONICAL, `JWS payload has no canonical form: ${(error as Error).message}`);
  }
  if (canonical !== payloadText) {
    throw new EnvelopeError(EnvelopeErrorCode.NOT_CANONICAL, 'JWS payload bytes are not the RFC 8785 canonical form of their JSON');
  }
}

// Importing a JWK costs far more than a signature; callers keep their SigningKey object, so we
// cache per private JWK object. A WeakMap lets rotated-out keys be collected with their owner.
const privateKeys = new WeakMap<JsonWebKey, Map<string, Promise<webcrypto.CryptoKey>>>();

/** A signing key that cannot work is a configuration error, hence TypeError, not EnvelopeError. */
function importPrivateKey(key: SigningKey): Promise<webcrypto.CryptoKey> {
  const { privateJwk, alg, kid } = key;
  if (!isSignatureAlgorithm(alg)) throw new TypeError(`signing key "${kid}": alg must be one of ${SIGNATURE_ALGORITHMS.join(', ')}`);
  if (typeof privateJwk !== 'object' || privateJwk === null || typeof privateJwk.d !== 'string') {
    throw new TypeError(`signing key "${kid}" is not a private JWK`);
  }
  // Signing under a kid or alg the JWK disowns would produce messages nobody can verify.
  if (privateJwk.kid !== undefined && privateJwk.kid !== kid) {
    throw new TypeError(`signing key kid "${kid}" differs from the JWK's kid "${String(privateJwk.kid)}"`);
  }
  if (privateJwk.alg !== undefined && privateJwk.alg !== alg && !(alg === 'EdDSA' && privateJwk.alg === 'Ed25519')) {
    throw new TypeError(`signing key "${kid}" is declared for ${String(privateJwk.alg)}, not ${alg}`);
  }
  let byAlg = privateKeys.get(privateJwk);
  if (!byAlg) {
    byAlg = new Map();
    privateKeys.set(privateJwk, byAlg);
  }
  const cache = byAlg;
  let imported = cache.get(alg);
  if (!imported) {
    imported = (importJWK(privateJwk as JWK, alg) as Promise<webcrypto.CryptoKey>).catch((error: unknown) => {
      // Forget the failure so that a corrected key object is not stuck behind it.
      cache.delete(alg);
      throw new TypeError(`signing key "${kid}" cannot be used with ${alg}: ${(error as Error).message}`);
    });
    cache.set(alg, imported);
  }
  return imported;
}

/** Signs canonical JSON of `body` under a protected header that always carries alg and kid. */
export async function signCanonical(body: unknown, key: SigningKey, header: Record<string, string>): Promise<string> {
  const payload = encoder.encode(canonicalJson(body));
  const privateKey = await importPrivateKey(key);
  return new CompactSign(payload).setProtectedHeader({ ...header, alg: key.alg, kid: key.kid }).sign(privateKey);
}

/**
 * Verifies a JWS the gateway signed (receipts, conversions): the typ, canonical payload bytes, the
 * body's shape (`assertBody`), and the signature against `owner`'s keys. Returns the body.
 */
export async function verifyGatewaySigned<T>(
  jws: string,
  typ: string,
  what: string,
  assertBody: (value: unknown) => asserts value is T,
  keys: KeyRing,
  owner: string,
): Promise<T> {
  const { header, payloadText, payload } = decodeCompact(jws, typ, ['alg', 'kid', 'typ'] as const);
  assertCanonical(payloadText, payload);
  assertBody(payload);
  const kid = header.kid as string;
  const alg = header.alg as string;
  const key = await keys.resolve(owner, kid, alg);
  try {
    await compactVerify(jws, key, { algorithms: [alg] });
  } catch (error) {
    throw new EnvelopeError(EnvelopeErrorCode.BAD_SIGNATURE, `${what} signature does not verify with kid "${kid}" of "${owner}"`, {
      owner,
      kid,
      reason: (error as Error).message,
    });
  }
  return payload as T;
}
