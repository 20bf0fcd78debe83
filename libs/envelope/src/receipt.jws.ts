import { assertFields } from './envelope-body.validator';
import { RECEIPT_TYP, type SigningKey } from './envelope.types';
import { signCanonical, verifyGatewaySigned } from './jws.codec';
import type { KeyRing } from './key.ring';

/**
 * What the gateway signs back to the sender: proof that it received exactly the envelope with
 * `envelopeDigest` at `receivedAt` (责任追溯, DOMAIN §3).
 */
export interface ReceiptBody {
  receiptId: string;
  messageId: string;
  /** sha256Digest of the compact JWS as received. */
  envelopeDigest: string;
  sender: string;
  recipient: string;
  caseNumber: string;
  receivedAt: string;
  /** Identifier of the gateway instance or operator that signed. */
  gateway: string;
  status: 'ACCEPTED';
}

const RECEIPT_RULES = {
  receiptId: 'uuid',
  messageId: 'uuid',
  envelopeDigest: 'digest',
  sender: 'text',
  recipient: 'text',
  caseNumber: 'text',
  receivedAt: 'rfc3339',
  gateway: 'text',
  // Only accepted messages get a receipt; refusals travel as problem responses, unsigned.
  status: (v: unknown) => (v === 'ACCEPTED' ? null : 'must be "ACCEPTED"'),
} as const;

function assertReceiptBody(value: unknown): asserts value is ReceiptBody {
  assertFields('receipt', value, RECEIPT_RULES);
}

export async function signReceipt(body: ReceiptBody, key: SigningKey): Promise<string> {
  assertReceiptBody(body);
  return signCanonical(body, key, { typ: RECEIPT_TYP });
}

/** Verifies a receipt against the gateway's published keys and returns its body. */
export async function verifyReceipt(jws: string, keys: KeyRing, gatewayOwner = 'gateway'): Promise<ReceiptBody> {
  return verifyGatewaySigned(jws, RECEIPT_TYP, 'receipt', assertReceiptBody, keys, gatewayOwner);
}
