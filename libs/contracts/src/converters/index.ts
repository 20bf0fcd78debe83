export { CONVERTERS, conversionTargets, findConverter } from './converters';
export { ContractConversionError, type ContractConversionErrorCode, type ContractConverter } from './contract-converter';
export { CASE_SUBMISSION_1_TO_2, CASE_SUBMISSION_2_TO_1 } from './case-submission.converters';
export { COMPOUND_SURNAMES, joinPersonName, splitPersonName, type PersonNameParts } from './person-name';
