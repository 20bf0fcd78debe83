import type { JsonWebKey } from 'node:crypto';
import type { MessageType } from './message-type';

/** Algorithms accepted today; SM2 would join as a bilateral profile (DOMAIN §7). */
export type SignatureAlgorithm = 'ES256' | 'EdDSA';

export const SIGNATURE_ALGORITHMS: readonly SignatureAlgorithm[] = ['ES256', 'EdDSA'];

export const ENVELOPE_TYP = 'tongban-envelope+jws';
export const RECEIPT_TYP = 'tongban-receipt+jws';
export const CONVERSION_TYP = 'tongban-conversion+jws';

export interface EnvelopeHeader {
  alg: SignatureAlgorithm;
  kid: string;
  typ: string;
  /** `<contractId>@<semver>`, e.g. `case-submission@1.0.0`. */
  ctr: string;
}

export interface EnvelopeBody<P = Record<string, unknown>> {
  /** UUID chosen by the sender; the idempotency key of the exchange. */
  messageId: string;
  caseNumber: string;
  /** 业务协同编号: shared by both sides for the whole collaboration. */
  collaborationId: string;
  /** District id of the signer: verification uses this owner's keys. */
  sender: string;
  recipient: string;
  messageType: MessageType;
  /** RFC 3339 with an explicit offset (Z or ±hh:mm). */
  sentAt: string;
  payload: P;
}

export interface ContractRef {
  id: string;
  version: string;
}

export interface DecodedEnvelope {
  header: EnvelopeHeader;
  body: EnvelopeBody;
  contract: ContractRef;
  /** sha256Digest of the exact compact JWS string received. */
  digest: string;
  raw: string;
}

export interface SigningKey {
  kid: string;
  alg: SignatureAlgorithm;
  /** Keep the same object between calls: the imported key is cached per JWK object. */
  privateJwk: JsonWebKey;
}
