import { ContractRegistry, contractSchemaId } from '@tongban/contracts';
import { MessageType } from '@tongban/envelope';
import { CaseError, CaseErrorCode } from '../case-error';
import type { StaffPrincipal } from '../staff/login.usecase';
import { SendFromConsoleUseCase } from './send-from-console.usecase';
import { StepContractUseCase } from './step-contract.usecase';

/** The version a district sends, as SendFromConsoleUseCase picks it (here: 2.0.0 submissions for NEW, else 1.0.0 — or 9.9.9 for BROKEN). */
const sender = {
  contractVersion: (district: string, type: MessageType) => (district === 'BROKEN' ? '9.9.9' : district === 'NEW' && type === MessageType.CASE_SUBMISSION ? '2.0.0' : '1.0.0'),
} as unknown as SendFromConsoleUseCase;
const staff = (district: string) => ({ district }) as StaffPrincipal;
const useCase = new StepContractUseCase(sender, ContractRegistry.precompiled());

function caseError(run: () => unknown): CaseError {
  try {
    run();
  } catch (error) {
    if (error instanceof CaseError) return error;
    throw error;
  }
  throw new Error('expected a CaseError');
}

describe('StepContractUseCase', () => {
  it("returns the payload schema in the version the staff member's district sends", () => {
    expect(useCase.schema(staff('OLD'), 'case.acceptance')).toMatchObject({ $id: contractSchemaId('acceptance', '1.0.0'), type: 'object' });
    expect(useCase.schema(staff('OLD'), 'case.submission').$id).toBe(contractSchemaId('case-submission', '1.0.0'));
    expect(useCase.schema(staff('NEW'), 'case.submission').$id).toBe(contractSchemaId('case-submission', '2.0.0'));
  });

  it('refuses the gateway’s own deadline events and unknown types, and says when a district declares a version the gateway lacks', () => {
    expect(caseError(() => useCase.schema(staff('OLD'), 'case.deadline-event')).code).toBe(CaseErrorCode.UNKNOWN_CONTRACT);
    expect(caseError(() => useCase.schema(staff('OLD'), 'case.nonsense')).code).toBe(CaseErrorCode.UNKNOWN_CONTRACT);
    expect(caseError(() => useCase.schema(staff('BROKEN'), 'case.acceptance')).code).toBe(CaseErrorCode.UNKNOWN_CONTRACT_VERSION);
  });
});
