/** Stable codes, mapped by callers with an exhaustive switch; never renamed once shipped. */
export enum ContractErrorCode {
  /** No contract with that id is loaded. */
  UNKNOWN_CONTRACT = 'UNKNOWN_CONTRACT',
  /** The contract exists but not in that version; the message lists the known ones. */
  UNKNOWN_VERSION = 'UNKNOWN_VERSION',
  /** The contracts directory is not laid out as contracts/<id>/<semver>/schema.json. */
  INVALID_LAYOUT = 'INVALID_LAYOUT',
  /** A schema does not compile in strict mode, or its $id does not match its folder. */
  INVALID_SCHEMA = 'INVALID_SCHEMA',
  /** A bare payload was given without saying which contract it follows. */
  CONTRACT_REQUIRED = 'CONTRACT_REQUIRED',
}

export class ContractError extends Error {
  constructor(
    readonly code: ContractErrorCode,
    message: string,
    readonly detail?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ContractError';
  }
}
