import { MessageType } from '@tongban/envelope';
import { CaseError, CaseErrorCode } from '../case-error';
import { CaseState } from '../case-state';
import type { CaseChange } from '../ports/handoff-store.port';
import type { HandlerContext, MessageHandler } from './message-handler';
import type { CaseSubmissionPayload } from './payloads';

/** 流转: the collecting hall hands a new case to the approving jurisdiction. */
export class CaseSubmissionHandler implements MessageHandler {
  readonly type = MessageType.CASE_SUBMISSION;

  async plan({ body, contract, existingCase, at, alliance, store }: HandlerContext): Promise<CaseChange> {
    const payload = body.payload as unknown as CaseSubmissionPayload;
    if (existingCase) {
      throw new CaseError(CaseErrorCode.CASE_EXISTS, `Case ${body.caseNumber} was already submitted; use a new case number.`, {
        caseNumber: body.caseNumber,
      });
    }
    if (await store.findCaseByCollaborationId(body.collaborationId)) {
      throw new CaseError(CaseErrorCode.CASE_EXISTS, `Collaboration id ${body.collaborationId} already belongs to another case.`, {
        collaborationId: body.collaborationId,
      });
    }
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
        createdAt: at,
        updatedAt: at,
      },
    };
  }
}
