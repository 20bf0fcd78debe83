export { canonicalJson } from './canonical-json';
export { sha256Digest } from './sha256-digest';
export { EnvelopeError, EnvelopeErrorCode } from './envelope.error';
export { MessageType, CONTRACT_ID_BY_TYPE, isMessageType } from './message-type';
export {
  ENVELOPE_TYP,
  RECEIPT_TYP,
  CONVERSION_TYP,
  SIGNATURE_ALGORITHMS,
  type ContractRef,
  type DecodedEnvelope,
  type EnvelopeBody,
  type EnvelopeHeader,
  type SignatureAlgorithm,
  type SigningKey,
} from './envelope.types';
export { parseContractRef, formatContractRef } from './contract-ref';
export { signEnvelope, decodeEnvelope, verifyEnvelope } from './envelope.jws';
export { KeyRing } from './key.ring';
export { signCanonical } from './jws.codec';
export { signReceipt, verifyReceipt, type ReceiptBody } from './receipt.jws';
export { signConversion, verifyConversion, type ConversionBody } from './conversion.jws';
