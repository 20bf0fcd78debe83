export { ContractError, ContractErrorCode } from './contract.error';
export { ContractRegistry, contractSchemaId } from './contract.registry';
export { readContractSchemas, type ContractSchemaFile } from './contract.layout';
export type { ContractViolation } from './contract-violation.mapper';
export { compareSemver, isSemver } from './semver.compare';
export {
  validateMessage,
  validatePayload,
  type MessageKind,
  type MessageValidation,
  type MessageViolation,
  type ValidateMessageOptions,
  type ViolationTarget,
} from './validate';
export { findContract, listContracts, resolveContract, type ContractRef } from './catalogue';
export type { ContractCatalogueEntry, ContractExample, ContractVersionInfo } from './catalogue.types';
export { MESSAGE_TYPE_BY_CONTRACT_ID } from './message-types';
export { contractsDirectory } from './contracts-dir';
// Generated types of every contract version (npm run contracts:generate).
export * from './generated/types';
// Hand-written payload types the gateway's handlers use (latest major version of each contract).
export type { CaseSubmissionPayloadV1, MaterialV1, PersonV1 } from './case-submission.payload';
export type { CaseAcknowledgementPayloadV1 } from './case-acknowledgement.payload';
export type { ContractId, ContractPayloads } from './contract-payload.types';
// AsyncAPI 3.0 document generator (tongban asyncapi).
export * from './asyncapi';
// Schema compatibility (tongban-contracts diff, and this repository's version check).
export * from './compat';
// Converters between contract versions (the gateway's version negotiation; integrators may use them too).
export * from './converters';
