/**
 * A declared converter between two versions of one contract: the gateway uses it when the sender's
 * version is one the recipient does not accept (issue 3, point 5), and integrators can use it to
 * move their own payloads between versions. Pure: no I/O, the input is never modified.
 */
export interface ContractConverter {
  /** Contract id, e.g. case-submission. */
  contractId: string;
  /** Source version (SemVer), e.g. 1.0.0. */
  from: string;
  /** Target version (SemVer), e.g. 2.0.0. */
  to: string;
  /** Why the versions differ and what the conversion does, for logs, docs and error messages. */
  reason: string;
  /**
   * The payload in version `to`, for a payload VALID against version `from` (validate first; the
   * result should be validated against `to` before it is trusted). Throws ContractConversionError
   * when this payload cannot be expressed in `to` (or is not shaped like `from`); never returns a
   * partial or invented value.
   */
  convert(payload: unknown): unknown;
}

/**
 * Stable codes (never renamed once shipped):
 * - SOURCE_NOT_VALID: the payload is not shaped like the source version (validate it first);
 * - NOT_REPRESENTABLE: a valid source payload whose content the target version cannot carry,
 *   e.g. a one-character applicant name, which 2.0.0 cannot split into a family and a given name.
 */
export type ContractConversionErrorCode = 'SOURCE_NOT_VALID' | 'NOT_REPRESENTABLE';

/** A payload a converter cannot convert. The message names fields, never their values (personal data). */
export class ContractConversionError extends Error {
  constructor(
    readonly code: ContractConversionErrorCode,
    readonly contractId: string,
    readonly from: string,
    readonly to: string,
    /** JSON pointer (RFC 6901) into the source payload, to the value that cannot be converted. */
    readonly pointer: string,
    message: string,
  ) {
    super(`${contractId} ${from} → ${to}: ${message} (${pointer || '/'})`);
    this.name = 'ContractConversionError';
  }
}
