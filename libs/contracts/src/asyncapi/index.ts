export {
  ASYNCAPI_VERSION,
  asyncApiMessageName,
  asyncApiPayloadPointer,
  generateAsyncApi,
  type AsyncApiContract,
  type AsyncApiDistrict,
  type AsyncApiOptions,
} from './asyncapi.generator';
export { asyncApiFromDirectory, readContractSources, serializeAsyncApi } from './contract-sources.reader';
export { DRAFT_07, DRAFT_07_SCHEMA_FORMAT, SchemaConversionError, toDraft07 } from './draft07.converter';
