import { Injectable } from '@nestjs/common';
import { CaseError, CaseErrorCode } from '../case-error';
import { allowedActions } from '../catalogue/allowed-actions';
import { stateForPartner } from '../catalogue/partner-codes';
import { ExchangePolicy } from '../ports/exchange-policy.port';
import { HandoffStore } from '../ports/handoff-store.port';

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** A party's view of a case: its state and what the caller may send next. */
@Injectable()
export class GetCaseUseCase {
  constructor(
    private readonly store: HandoffStore,
    private readonly policy: ExchangePolicy,
  ) {}

  async execute(district: string, caseNumber: string) {
    return (await this.withMessages(district, caseNumber)).view;
  }

  /** The view and the stored messages it was drawn from, for callers that show more of each message. */
  async withMessages(district: string, caseNumber: string) {
    const record = await this.store.findCase(caseNumber);
    if (!record) throw new CaseError(CaseErrorCode.CASE_NOT_FOUND, `No case ${caseNumber}.`);
    if (district !== record.collectingDistrict && district !== record.approvingDistrict) {
      throw new CaseError(CaseErrorCode.NOT_A_PARTY, `Only the two districts of case ${caseNumber} may see it.`);
    }
    const messages = await this.store.listCaseMessages(caseNumber);
    const timeline = messages.map((m) => ({
      messageId: m.messageId,
      messageType: m.messageType,
      sender: m.sender,
      recipient: m.recipient,
      contract: `${m.contractId}@${m.contractVersion}`,
      acceptedAt: m.acceptedAt.toISOString(),
      status: m.status,
      receiptId: m.receiptId,
    }));
    const view = {
      caseNumber: record.caseNumber,
      collaborationId: record.collaborationId,
      collectingDistrict: record.collectingDistrict,
      approvingDistrict: record.approvingDistrict,
      item: { code: record.itemCode, name: record.itemName },
      state: record.state,
      // The same state in the caller's own status codes, when its alliance entry has a caseState table.
      partnerStateCode: stateForPartner(this.policy.alliance.district(district), record.state) ?? null,
      contractVersion: record.contractVersion,
      createdAt: record.createdAt.toISOString(),
      updatedAt: record.updatedAt.toISOString(),
      caseType: record.caseType,
      suspensionKind: record.suspensionKind,
      deadlines: {
        receivedAt: iso(record.receivedAt),
        supplementNoticeDueAt: iso(record.supplementNoticeDueAt),
        acceptedAt: iso(record.acceptedAt),
        promisedDueAt: iso(record.promisedDueAt),
        statutoryDueAt: iso(record.statutoryDueAt),
        suspendedAt: iso(record.suspendedAt),
        pausedWorkingDays: record.pausedWorkingDays,
        note: record.deadlineNote,
      },
      allowedActions: allowedActions(record, district),
      timeline,
    };
    return { view, messages };
  }
}
