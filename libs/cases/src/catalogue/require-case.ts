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

/** A message on a case goes from one of its two districts to the other. */
export function requireCounterparty(record: CaseRecord, body: EnvelopeBody): void {
  const parties = [record.collectingDistrict, record.approvingDistrict];
  if (!parties.includes(body.sender) || !parties.includes(body.recipient) || body.sender === body.recipient) {
    throw new CaseError(
      CaseErrorCode.NOT_A_PARTY,
      `Messages on case ${record.caseNumber} go between ${record.collectingDistrict} and ${record.approvingDistrict}; this one goes from ${body.sender} to ${body.recipient}.`,
      { parties },
    );
  }
}
