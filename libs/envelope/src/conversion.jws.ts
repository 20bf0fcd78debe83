import { assertFields } from './envelope-body.validator';
import { CONVERSION_TYP, type SigningKey } from './envelope.types';
import { signCanonical, verifyGatewaySigned } from './jws.codec';
import type { KeyRing } from './key.ring';

/**
 * What the gateway signs when the recipient cannot read the sender's payload as sent: converted to a
 * contract version the recipient accepts, and/or with coded values (result codes, satisfaction
 * levels) translated from the sender's code table to the recipient's. Bound to the sender's envelope
 * by its digest. The recipient keeps both: the sender's signature proves what was sent, the
 * gateway's what it made of it.
 */
export interface ConversionBody {
  messageId: string;
  /** sha256Digest of the sender's compact JWS. */
  envelopeDigest: string;
  /** contract reference of the sender's payload, e.g. case-submission@2.0.0 */
  from: string;
  /** contract reference of `payload`, e.g. case-submission@1.0.0 */
  to: string;
  /**
   * Whose code tables were applied: `from` is the sender's id when its codes were translated to the
   * canonical ones, `to` the recipient's id when canonical codes were translated to its own;
   * "canonical" otherwise.
   */
  codes: { from: string; to: string };
  convertedAt: string;
  gateway: string;
  payload: Record<string, unknown>;
}

const CONVERSION_RULES = {
  messageId: 'uuid',
  envelopeDigest: 'digest',
  from: 'text',
  to: 'text',
  codes: (v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 2 &&
    typeof (v as { from?: unknown }).from === 'string' && typeof (v as { to?: unknown }).to === 'string'
      ? null
      : 'must be { "from": <district id or "canonical">, "to": <district id or "canonical"> }',
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
