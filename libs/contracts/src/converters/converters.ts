import { CASE_SUBMISSION_1_TO_2, CASE_SUBMISSION_2_TO_1 } from './case-submission.converters';
import { compareSemver } from '../semver.compare';
import type { ContractConverter } from './contract-converter';

/**
 * Every declared converter, one per direction. One step only: nothing is chained, so a conversion
 * the gateway performs is always one that is declared (and tested) here.
 */
export const CONVERTERS: readonly ContractConverter[] = Object.freeze([CASE_SUBMISSION_1_TO_2, CASE_SUBMISSION_2_TO_1]);

/** The converter from `from` to `to` of contract `contractId`, if one is declared. */
export function findConverter(contractId: string, from: string, to: string): ContractConverter | undefined {
  return CONVERTERS.find((c) => c.contractId === contractId && c.from === from && c.to === to);
}

/** The versions a payload of `contractId@from` can be converted to in one step, ascending by SemVer precedence. */
export function conversionTargets(contractId: string, from: string): string[] {
  return CONVERTERS.filter((c) => c.contractId === contractId && c.from === from)
    .map((c) => c.to)
    .sort(compareSemver);
}
