import { MessageType } from '@tongban/envelope';
import { CaseError, CaseErrorCode } from '../case-error';
import type { CaseChange } from '../ports/handoff-store.port';
import { resolveTransition } from './allowed-actions';
import { caseUpdateFor } from './deadline.rules';
import { requireCase, requireCounterparty } from './require-case';
import type { HandlerContext, MessageHandler } from './message-handler';
import type { CaseAcknowledgementPayload } from './payloads';

/** 签收: the approving jurisdiction signs for the case; from here it owns it. */
export class CaseAcknowledgementHandler implements MessageHandler {
  readonly type = MessageType.CASE_ACKNOWLEDGEMENT;

  async plan({ body, loadCase, at, store, alliance, calendars }: HandlerContext): Promise<CaseChange> {
    const payload = body.payload as unknown as CaseAcknowledgementPayload;
    const existingCase = await requireCase(body, await loadCase());
    requireCounterparty(existingCase, body);
    const to = resolveTransition(existingCase, body.sender, this.type, body.payload);
    const acknowledged = await store.findMessage(payload.acknowledgedMessageId);
    if (
      !acknowledged ||
      acknowledged.caseNumber !== existingCase.caseNumber ||
      acknowledged.messageType !== MessageType.CASE_SUBMISSION ||
      acknowledged.envelopeDigest !== payload.acknowledgedEnvelopeDigest
    ) {
      throw new CaseError(
        CaseErrorCode.REFERENCE_MISMATCH,
        `acknowledgedMessageId/acknowledgedEnvelopeDigest must name the submission of case ${existingCase.caseNumber} exactly as the gateway accepted it.`,
        { pointer: '/payload/acknowledgedMessageId' },
      );
    }
    const set = caseUpdateFor(this.type, existingCase, to, body.payload, at, alliance, calendars);
    return { kind: 'transition', caseNumber: existingCase.caseNumber, from: existingCase.state, to, at, set };
  }
}
