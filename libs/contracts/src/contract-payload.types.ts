import type { CaseAcknowledgementPayloadV1 } from './case-acknowledgement.payload';
import type { CaseSubmissionPayloadV1 } from './case-submission.payload';

/**
 * Payload type per contract id (latest major version). Keyed by contract id rather than by
 * MessageType so that this library stays publishable without @tongban/envelope; map a type with
 * `ContractPayloads[(typeof CONTRACT_ID_BY_TYPE)[T]]`-style lookups in the caller.
 */
export interface ContractPayloads {
  'case-submission': CaseSubmissionPayloadV1;
  'case-acknowledgement': CaseAcknowledgementPayloadV1;
}

export type ContractId = keyof ContractPayloads;
