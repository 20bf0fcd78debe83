import type { EnvelopeBody } from '@tongban/envelope';
import { CaseError, CaseErrorCode } from '../case-error';
import type { CaseRecord } from '../ports/handoff-store.port';

/** For every message that acts on an existing case: the case must exist and share the collaboration id. */
export function requireCase(body: EnvelopeBody, record: CaseRecord | null): CaseRecord {
  if (!record) {
    throw new CaseError(CaseErrorCode.CASE_NOT_FOUND, `No case ${body.caseNumber}; a case starts with its submission.`, { caseNumber: body.caseNumber });
  }
  if (record.collaborationId !== body.collaborationId) {
    throw new CaseError(
      CaseErrorCode.REFERENCE_MISMATCH,
      `Case ${body.caseNumber} has collaboration id ${record.collaborationId}, not ${body.collaborationId}.`,
      { pointer: '/collaborationId' },
    );
  }
  return record;
}
