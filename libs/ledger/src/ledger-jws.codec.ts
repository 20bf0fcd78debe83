import { canonicalJson, signCanonical, SIGNATURE_ALGORITHMS, type KeyRing, type SignatureAlgorithm, type SigningKey } from '@tongban/envelope';
import { compactVerify } from 'jose';
import type { KeyObject, webcrypto } from 'node:crypto';
import { LedgerError, LedgerErrorCode } from './ledger.error';

/**
 * The compact-JWS rules of @tongban/envelope (jws.codec.ts, not exported there), applied to the
 * ledger's own JWS types: protected header exactly {alg, kid, typ}, canonical base64url, payload
 * = the RFC 8785 canonical JSON of the body, and nothing else.
 */

const BASE64URL_RE = /^[A-Za-z0-9_-]+$/;
const HEADER_PARAMS = ['alg', 'kid', 'typ'] as const;
const utf8 = new TextDecoder('utf-8', { fatal: true });

export interface DecodedJws {
  alg: SignatureAlgorithm;
  kid: string;
  /** Payload bytes as UTF-8 text, exactly as signed. */
  payloadText: string;
  payload: unknown;
}

function malformed(message: string): LedgerError {
  return new LedgerError(LedgerErrorCode.MALFORMED_JWS, message);
}

function isSignatureAlgorithm(value: unknown): value is SignatureAlgorithm {
  return typeof value === 'string' && (SIGNATURE_ALGORITHMS as readonly string[]).includes(value);
}

/** Unused trailing bits would give one signature several spellings, hence several digests. */
function decodeSegment(segment: string, name: string): Buffer {
  if (!BASE64URL_RE.test(segment) || segment.length % 4 === 1) throw malformed(`JWS ${name} is not base64url`);
  const bytes = Buffer.from(segment, 'base64url');
  if (bytes.toString('base64url') !== segment) throw malformed(`JWS ${name} is not canonical base64url`);
  return bytes;
}

function parseJson(bytes: Buffer, what: string, code: LedgerErrorCode): unknown {
  try {
    return JSON.parse(utf8.decode(bytes));
  } catch {
    throw new LedgerError(code, `JWS ${what} is not UTF-8 JSON`);
  }
}

/** Splits and checks a compact JWS of type `typ` without verifying its signature. */
export function decodeLedgerJws(jws: unknown, typ: string): DecodedJws {
  if (typeof jws !== 'string') throw malformed('JWS must be a string');
  const parts = jws.split('.');
  if (parts.length !== 3) throw malformed(`JWS must have 3 dot-separated parts, got ${parts.length}`);
  const header = parseJson(decodeSegment(parts[0], 'header'), 'protected header', LedgerErrorCode.MALFORMED_JWS);
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw malformed('JWS protected header must be a JSON object');
  const hdr = header as Record<string, unknown>;
  // Closed: `crit`, `b64`, `jwk`, `x5u`… could each change what the signature means.
  for (const name of Object.keys(hdr)) {
    if (!(HEADER_PARAMS as readonly string[]).includes(name)) throw malformed(`JWS header parameter "${name}" is not allowed`);
  }
  if (hdr.typ !== typ) throw malformed(`JWS typ must be "${typ}"`);
  if (typeof hdr.kid !== 'string' || hdr.kid === '') throw malformed('JWS header parameter "kid" is missing or empty');
  if (!isSignatureAlgorithm(hdr.alg)) throw malformed(`JWS alg must be one of ${SIGNATURE_ALGORITHMS.join(', ')}`);
  decodeSegment(parts[2], 'signature');
  const payloadBytes = decodeSegment(parts[1], 'payload');
  const payload = parseJson(payloadBytes, 'payload', LedgerErrorCode.MALFORMED_BODY);
  const payloadText = payloadBytes.toString('utf8');
  assertCanonical(payloadText, payload);
  return { alg: hdr.alg, kid: hdr.kid, payloadText, payload };
}

/** A signed body must be re-verifiable from its JSON alone, so only one spelling is accepted. */
function assertCanonical(payloadText: string, payload: unknown): void {
  let canonical: string;
  try {
    canonical = canonicalJson(payload);
  } catch {
    // A lone surrogate escape parses but has no canonical form.
    throw new LedgerError(LedgerErrorCode.NOT_CANONICAL, 'JWS payload has no RFC 8785 canonical form');
  }
  if (canonical !== payloadText) throw new LedgerError(LedgerErrorCode.NOT_CANONICAL, 'JWS payload bytes are not the RFC 8785 canonical form of their JSON');
}

/** Verifies the signature of an already decoded JWS with `owner`'s key under its kid. */
export async function verifyLedgerJws(jws: string, decoded: DecodedJws, keys: KeyRing, owner: string, what: string): Promise<void> {
  let key: webcrypto.CryptoKey | KeyObject;
  try {
    key = await keys.resolve(owner, decoded.kid, decoded.alg);
  } catch (error) {
    // KeyRing throws EnvelopeError (UNKNOWN_KID, ALG_MISMATCH); both mean "not a key of this owner".
    throw new LedgerError(LedgerErrorCode.UNKNOWN_KEY, `${what}: ${(error as Error).message}`, { owner, kid: decoded.kid });
  }
  try {
    await compactVerify(jws, key, { algorithms: [decoded.alg] });
  } catch {
    throw new LedgerError(LedgerErrorCode.BAD_SIGNATURE, `${what} signature does not verify with kid "${decoded.kid}" of "${owner}"`, {
      owner,
      kid: decoded.kid,
    });
  }
}

/** Signs the canonical JSON of `body` under the protected header {alg, kid, typ}. */
export function signLedgerJws(body: unknown, key: SigningKey, typ: string): Promise<string> {
  // The envelope library's signer: same canonical bytes, same cached key import, same key checks.
  return signCanonical(body, key, { typ });
}
