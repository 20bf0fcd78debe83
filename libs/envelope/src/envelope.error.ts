/**
 * Stable codes: callers map them to HTTP problem types and to AMQP ack/retry/dead-letter
 * decisions with an exhaustive switch, so a code is never renamed once shipped, and adding one
 * is a breaking change for those switches. Every code here classifies a *message* and is
 * permanent: retrying the same bytes gives the same answer. Misconfiguration (a bad JWK in a
 * key ring, an unusable signing key) is a programming/boot error and throws TypeError instead.
 */
export enum EnvelopeErrorCode {
  /** Not a compact JWS, header not JSON, wrong typ, missing/unknown header parameter, alg not allowed. */
  MALFORMED_JWS = 'MALFORMED_JWS',
  /** Payload is not UTF-8 JSON, a body field is missing or ill-typed (detail.field names it), or a value has no JSON form. */
  MALFORMED_BODY = 'MALFORMED_BODY',
  /** Payload bytes are valid JSON but not its RFC 8785 canonical form. */
  NOT_CANONICAL = 'NOT_CANONICAL',
  /** The kid is not registered for the owner (or the owner has no keys at all). */
  UNKNOWN_KID = 'UNKNOWN_KID',
  /** The key registered under the kid is for another algorithm than the header claims. */
  ALG_MISMATCH = 'ALG_MISMATCH',
  /** The signature does not verify over the received bytes. */
  BAD_SIGNATURE = 'BAD_SIGNATURE',
}

export class EnvelopeError extends Error {
  constructor(
    readonly code: EnvelopeErrorCode,
    message: string,
    readonly detail?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'EnvelopeError';
  }
}
