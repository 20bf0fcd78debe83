import { compactVerify } from 'jose';
import { canonicalJson } from './canonical-json';
import { formatContractRef, parseContractRef } from './contract-ref';
import { assertEnvelopeBody } from './envelope-body.validator';
import { EnvelopeError, EnvelopeErrorCode } from './envelope.error';
import {
  ENVELOPE_TYP,
  type DecodedEnvelope,
  type EnvelopeBody,
  type EnvelopeHeader,
  type SigningKey,
} from './envelope.types';
import { assertCanonical, decodeCompact, signCanonical } from './jws.codec';
import type { KeyRing } from './key.ring';
import { sha256Digest } from './sha256-digest';

const HEADER_PARAMS = ['alg', 'kid', 'typ', 'ctr'] as const;

/**
 * Signs `body` as a compact JWS over its canonical JSON. The body is checked with the same rules
 * as decodeEnvelope applies, so we never emit an envelope that decodeEnvelope would refuse.
 * Whether `contract` belongs to `body.messageType` (CONTRACT_ID_BY_TYPE) is deliberately not
 * checked here nor in decodeEnvelope: it is gateway policy, checked after the signature, and
 * tests must be able to produce such messages.
 */
export async function signEnvelope(body: EnvelopeBody, key: SigningKey, contract: { id: string; version: string }): Promise<string> {
  const ctr = formatContractRef(contract);
  assertEnvelopeBody(body);
  return signCanonical(body, key, { typ: ENVELOPE_TYP, ctr });
}

/**
 * Parses a compact JWS envelope WITHOUT verifying its signature: the sender's keys can only be
 * chosen after reading body.sender. Call verifyEnvelope before trusting anything in the result.
 */
export function decodeEnvelope(jws: string): DecodedEnvelope {
  const { header, payloadText, payload } = decodeCompact(jws, ENVELOPE_TYP, HEADER_PARAMS);
  const contract = parseContractRef(header.ctr as string);
  if (!contract) {
    throw new EnvelopeError(EnvelopeErrorCode.MALFORMED_JWS, 'JWS header "ctr" must be <contract-id>@<semver>', { ctr: header.ctr });
  }
  assertCanonical(payloadText, payload);
  assertEnvelopeBody(payload);
  return {
    header: header as unknown as EnvelopeHeader,
    body: payload,
    contract,
    digest: sha256Digest(jws),
    raw: jws,
  };
}

/**
 * Verifies `decoded.raw` with the keys of `decoded.body.sender`. Also checks that header and body
 * still say what the signed bytes say: a DecodedEnvelope is a plain mutable object, and we must
 * not bless fields that were changed (or fabricated) after decoding.
 */
export async function verifyEnvelope(decoded: DecodedEnvelope, keys: KeyRing): Promise<void> {
  const { header, body, raw } = decoded;
  const key = await keys.resolve(body.sender, header.kid, header.alg);
  let verified: Awaited<ReturnType<typeof compactVerify>>;
  try {
    verified = await compactVerify(raw, key, { algorithms: [header.alg] });
  } catch (error) {
    throw new EnvelopeError(EnvelopeErrorCode.BAD_SIGNATURE, `signature of message ${body.messageId} does not verify with kid "${header.kid}" of "${body.sender}"`, {
      messageId: body.messageId,
      sender: body.sender,
      kid: header.kid,
      reason: (error as Error).message,
    });
  }
  const signedHeader = verified.protectedHeader as Record<string, unknown>;
  const headerMatches = HEADER_PARAMS.every((name) => signedHeader[name] === header[name]);
  const bodyMatches = Buffer.from(verified.payload).toString('utf8') === canonicalJson(body);
  if (!headerMatches || !bodyMatches || decoded.digest !== sha256Digest(raw)) {
    throw new EnvelopeError(EnvelopeErrorCode.BAD_SIGNATURE, `decoded envelope ${body.messageId} no longer matches the signed bytes`, {
      messageId: body.messageId,
      sender: body.sender,
    });
  }
}
