export { ContractError, ContractErrorCode } from './contract.error';
export { ContractRegistry, contractSchemaId } from './contract.registry';
export type { ContractViolation } from './contract-violation.mapper';
export { compareSemver, isSemver } from './semver.compare';
export type { CaseSubmissionPayloadV1, MaterialV1, PersonV1 } from './case-submission.payload';
export type { CaseAcknowledgementPayloadV1 } from './case-acknowledgement.payload';
export type { ContractId, ContractPayloads } from './contract-payload.types';
