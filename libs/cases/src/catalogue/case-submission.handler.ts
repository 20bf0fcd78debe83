import { MessageType } from '@tongban/envelope';
import { CaseError, CaseErrorCode } from '../case-error';
import { CaseState } from '../case-state';
import type { CaseChange } from '../ports/handoff-store.port';
import type { HandlerContext, MessageHandler } from './message-handler';
import type { CaseSubmissionPayload } from './payloads';

/** 流转: the collecting hall hands a new case to the approving jurisdiction. */
export class CaseSubmissionHandler implements MessageHandler {
  readonly type = MessageType.CASE_SUBMISSION;

  // A case number or collaboration id used before is refused by their unique keys at commit
  // (CASE_EXISTS): no read on the hot path.
  async plan({ body, contract, at, alliance }: HandlerContext): Promise<CaseChange> {
    const payload = body.payload as unknown as CaseSubmissionPayload;
    const covered =
      alliance.findAgreement(body.sender, body.recipient, payload.item.implementationCode) ??
      alliance.findAgreement(body.sender, body.recipient, payload.item.basicCode);
    if (!covered) {
      throw new CaseError(
        CaseErrorCode.NOT_IN_AGREEMENT,
        `No agreement lets ${body.sender} collect item ${payload.item.implementationCode} (${payload.item.basicCode}) for ${body.recipient}.`,
        { sender: body.sender, recipient: body.recipient, itemCode: payload.item.implementationCode },
      );
    }
    return {
      kind: 'open',
      record: {
        caseNumber: body.caseNumber,
        collaborationId: body.collaborationId,
        collectingDistrict: body.sender,
        approvingDistrict: body.recipient,
        agreementId: covered.agreement.id,
        itemCode: covered.item.implementationCode,
        itemName: covered.item.name,
        contractVersion: contract.version,
        state: CaseState.DISPATCHED,
        caseType: (body.payload as { caseType?: string }).caseType ?? '2',
        suspensionKind: null,
        receivedAt: null,
        supplementNoticeDueAt: null,
        acceptedAt: null,
        promisedDueAt: null,
        statutoryDueAt: null,
        suspendedAt: null,
        pausedWorkingDays: 0,
        deadlineNote: null,
        toleratedItemsDueAt: null,
        createdAt: at,
        updatedAt: at,
      },
    };
  }
}
