import { assertFields } from './envelope-body.validator';
import { CONVERSION_TYP, type SigningKey } from './envelope.types';
import { signCanonical, verifyGatewaySigned } from './jws.codec';
import type { KeyRing } from './key.ring';

/**
 * What the gateway signs when the recipient does not accept the sender's contract version: the
 * payload converted to a version the recipient accepts, bound to the sender's envelope by its digest.
 * The recipient keeps both: the sender's signature proves what was sent, the gateway's what it made of it.
 */
export interface ConversionBody {
  messageId: string;
  /** sha256Digest of the sender's compact JWS. */
  envelopeDigest: string;
  /** contract reference of the sender's payload, e.g. case-submission@2.0.0 */
  from: string;
  /** contract reference of `payload`, e.g. case-submission@1.0.0 */
  to: string;
  convertedAt: string;
  gateway: string;
  payload: Record<string, unknown>;
}

const CONVERSION_RULES = {
  messageId: 'uuid',
  envelopeDigest: 'digest',
  from: 'text',
  to: 'text',
  convertedAt: 'rfc3339',
  gateway: 'text',
  payload: (v: unknown) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? null : 'must be a JSON object'),
} as const;

function assertConversionBody(value: unknown): asserts value is ConversionBody {
  assertFields('conversion', value, CONVERSION_RULES);
}

export async function signConversion(body: ConversionBody, key: SigningKey): Promise<string> {
  assertConversionBody(body);
  return signCanonical(body, key, { typ: CONVERSION_TYP });
}

/** Verifies a conversion against the gateway's published keys and returns its body. */
export async function verifyConversion(jws: string, keys: KeyRing, gatewayOwner = 'gateway'): Promise<ConversionBody> {
  return verifyGatewaySigned(jws, CONVERSION_TYP, 'conversion', assertConversionBody, keys, gatewayOwner);
}
