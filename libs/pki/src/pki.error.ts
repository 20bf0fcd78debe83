/** Stable codes: the gateway maps them to problem+json types, the CLI to exit codes. */
export enum PkiErrorCode {
  CERT_INVALID = 'CERT_INVALID',
  CERT_NOT_TRUSTED = 'CERT_NOT_TRUSTED',
  CERT_NOT_YET_VALID = 'CERT_NOT_YET_VALID',
  CERT_EXPIRED = 'CERT_EXPIRED',
  CERT_WRONG_PURPOSE = 'CERT_WRONG_PURPOSE',
  CERT_REVOKED = 'CERT_REVOKED',
  CERT_NO_IDENTITY = 'CERT_NO_IDENTITY',
  CRL_INVALID = 'CRL_INVALID',
  INVALID_SUBJECT = 'INVALID_SUBJECT',
  INVALID_OPTIONS = 'INVALID_OPTIONS',
  UNSUPPORTED_ALGORITHM = 'UNSUPPORTED_ALGORITHM',
  PKI_FILE_MISSING = 'PKI_FILE_MISSING',
  PKI_FILE_INVALID = 'PKI_FILE_INVALID',
}

export class PkiError extends Error {
  constructor(
    readonly code: PkiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PkiError';
  }
}
