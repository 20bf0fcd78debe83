/**
 * Stable codes for what this library refuses outside the bundle verifier (which reports a
 * BundleVerdict instead of throwing). Never renamed once shipped: callers switch on them.
 * Misuse by the caller (a bad signing key, an index outside the tree) throws TypeError or
 * RangeError instead, like @tongban/envelope.
 */
export enum LedgerErrorCode {
  /** A ledger entry breaks the entry rules; detail.field names the field. */
  INVALID_ENTRY = 'INVALID_ENTRY',
  /** Not a compact JWS, wrong typ, missing or unknown header parameter, alg not allowed. */
  MALFORMED_JWS = 'MALFORMED_JWS',
  /** The JWS payload is not UTF-8 JSON of the expected shape; detail.field names the field. */
  MALFORMED_BODY = 'MALFORMED_BODY',
  /** The payload bytes are JSON but not its RFC 8785 canonical form. */
  NOT_CANONICAL = 'NOT_CANONICAL',
  /** No key of the expected owner under that kid, or it is a key for another algorithm. */
  UNKNOWN_KEY = 'UNKNOWN_KEY',
  /** The signature does not verify over the received bytes. */
  BAD_SIGNATURE = 'BAD_SIGNATURE',
}

export class LedgerError extends Error {
  constructor(
    readonly code: LedgerErrorCode,
    message: string,
    readonly detail?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'LedgerError';
  }
}
