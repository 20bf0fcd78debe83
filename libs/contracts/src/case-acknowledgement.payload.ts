/** TypeScript shape of contracts/case-acknowledgement/1.0.0/schema.json (hand-written; the schema is the authority). */
export interface CaseAcknowledgementPayloadV1 {
  acknowledgedMessageId: string;
  /** `sha256:` digest of the acknowledged envelope as received. */
  acknowledgedEnvelopeDigest: string;
  signedBy: { officer: string; body?: string };
  signedAt: string;
  remark?: string;
}
