/**
 * Stable error codes of the exchange. Partners program against these strings: never rename one.
 * Each transport maps them (HTTP: problem+json status in the gateway's filter; AMQP: dead-letter).
 */
export enum CaseErrorCode {
  ENVELOPE_MALFORMED = 'ENVELOPE_MALFORMED',
  ENVELOPE_NOT_CANONICAL = 'ENVELOPE_NOT_CANONICAL',
  SIGNATURE_INVALID = 'SIGNATURE_INVALID',
  UNKNOWN_KEY_ID = 'UNKNOWN_KEY_ID',
  SENDER_NOT_CALLER = 'SENDER_NOT_CALLER',
  UNKNOWN_DISTRICT = 'UNKNOWN_DISTRICT',
  NOT_IN_AGREEMENT = 'NOT_IN_AGREEMENT',
  UNKNOWN_CONTRACT = 'UNKNOWN_CONTRACT',
  UNKNOWN_CONTRACT_VERSION = 'UNKNOWN_CONTRACT_VERSION',
  CONTRACT_VERSION_NOT_ACCEPTED = 'CONTRACT_VERSION_NOT_ACCEPTED',
  CONTRACT_TYPE_MISMATCH = 'CONTRACT_TYPE_MISMATCH',
  CONVERSION_FAILED = 'CONVERSION_FAILED',
  SCHEMA_VIOLATION = 'SCHEMA_VIOLATION',
  SENT_AT_OUT_OF_WINDOW = 'SENT_AT_OUT_OF_WINDOW',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  MESSAGE_ID_REUSED = 'MESSAGE_ID_REUSED',
  CASE_EXISTS = 'CASE_EXISTS',
  CASE_NOT_FOUND = 'CASE_NOT_FOUND',
  ACTION_NOT_ALLOWED = 'ACTION_NOT_ALLOWED',
  REFERENCE_MISMATCH = 'REFERENCE_MISMATCH',
  MESSAGE_NOT_FOUND = 'MESSAGE_NOT_FOUND',
  NOT_A_PARTY = 'NOT_A_PARTY',
  NOT_DEAD_LETTERED = 'NOT_DEAD_LETTERED',
  /** An envelope refers to a material that is not stored (or not readable by the sender), or whose size differs. */
  MATERIAL_MISSING = 'MATERIAL_MISSING',
  /** No material with that digest. */
  MATERIAL_NOT_FOUND = 'MATERIAL_NOT_FOUND',
  /** The uploaded bytes do not hash to the x-tongban-sha256 the uploader declared. */
  MATERIAL_DIGEST_MISMATCH = 'MATERIAL_DIGEST_MISMATCH',
  /** An upload's headers are missing or ill-formed (file name, media type, declared digest). */
  MATERIAL_MALFORMED = 'MATERIAL_MALFORMED',
  /** A partner code (result code, satisfaction level …) that the sender's code table does not list. */
  UNMAPPED_CODE = 'UNMAPPED_CODE',
  /** No ledger entry with that id (or not one the caller may see). */
  LEDGER_ENTRY_NOT_FOUND = 'LEDGER_ENTRY_NOT_FOUND',
  /** No checkpoint of that tree size. */
  CHECKPOINT_NOT_FOUND = 'CHECKPOINT_NOT_FOUND',
  /** The entry is not covered by a signed checkpoint yet (they come at least once a second). */
  NOT_YET_CHECKPOINTED = 'NOT_YET_CHECKPOINTED',
  /** A co-signature that does not verify, is not the caller's, or signs another checkpoint. */
  COSIGNATURE_INVALID = 'COSIGNATURE_INVALID',
  /** A ledger query outside what the caller may see, or ill-formed (e.g. from > to). */
  LEDGER_QUERY_INVALID = 'LEDGER_QUERY_INVALID',
  /** A list page cursor that this gateway did not hand out. */
  PAGE_CURSOR_INVALID = 'PAGE_CURSOR_INVALID',
  /** 收件 in the console: the application fails the window's checks (check digits, checklist, waybill); `problems` names each field. */
  INTAKE_INVALID = 'INTAKE_INVALID',
  /** The staff member's roles do not include the one this console view needs (e.g. the dashboard: SUPERVISOR). */
  ROLE_REQUIRED = 'ROLE_REQUIRED',
}

export class CaseError extends Error {
  constructor(
    readonly code: CaseErrorCode,
    message: string,
    /** Extra machine-readable facts for the caller (violations, allowed actions, accepted versions). */
    readonly detail: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'CaseError';
  }
}
