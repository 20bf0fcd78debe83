/**
 * Payload types of the message catalogue, as far as the gateway's rules read them. The contract
 * schemas in contracts/ are the full definition; these name only the fields a handler relies on.
 */
export interface CaseSubmissionPayload {
  item: { basicCode: string; implementationCode: string; name: string };
  mode: 'REMOTE_COLLECTION' | 'FULLY_ONLINE';
}

export interface CaseAcknowledgementPayload {
  acknowledgedMessageId: string;
  acknowledgedEnvelopeDigest: string;
  signedAt: string;
}
