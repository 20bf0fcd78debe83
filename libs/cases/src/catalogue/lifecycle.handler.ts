import { MessageType, decodeEnvelope } from '@tongban/envelope';
import { CaseError, CaseErrorCode } from '../case-error';
import { CaseState } from '../case-state';
import type { CaseChange, CaseRecord, HandoffStore } from '../ports/handoff-store.port';
import { resolveTransition } from './allowed-actions';
import { SUPPLEMENT_AFTER_ACCEPTANCE } from './case-lifecycle';
import type { HandlerContext, MessageHandler } from './message-handler';
import { requireCase, requireCounterparty } from './require-case';

/**
 * Every lifecycle step after the submission that the LIFECYCLE table fully describes: the case must
 * exist, the message go between its two districts, and the table allow it in the current state.
 * Steps with more to check (the 签收's reference, ratings' rounds) add it here.
 */
export class LifecycleHandler implements MessageHandler {
  constructor(readonly type: MessageType) {}

  async plan({ body, loadCase, at, store }: HandlerContext): Promise<CaseChange> {
    const record = await requireCase(body, await loadCase());
    requireCounterparty(record, body);
    const to = resolveTransition(record, body.sender, this.type, body.payload);
    if (this.type === MessageType.EVALUATION) await checkEvaluationRound(record, body.payload, store);
    return { kind: 'transition', caseNumber: record.caseNumber, from: record.state, to, at, suspensionKind: suspensionAfter(this.type, record, to, body.payload) };
  }
}

/** Why a case is paused: set on entering SUSPENDED, cleared on leaving it. */
function suspensionAfter(type: MessageType, record: CaseRecord, to: CaseState, payload: Record<string, unknown>): string | null | undefined {
  if (to === CaseState.SUSPENDED && record.state !== CaseState.SUSPENDED) {
    return type === MessageType.SUPPLEMENT_REQUEST ? SUPPLEMENT_AFTER_ACCEPTANCE : String(payload.kind);
  }
  if (record.state === CaseState.SUSPENDED && to !== CaseState.SUSPENDED) return null;
  return undefined;
}

/** 一次一评 / 一事一评: one rating per target, and one re-rating (round 2) after it, never more. */
async function checkEvaluationRound(record: CaseRecord, payload: Record<string, unknown>, store: HandoffStore): Promise<void> {
  const earlier = (await store.listCaseMessages(record.caseNumber))
    .filter((m) => m.messageType === MessageType.EVALUATION)
    .map((m) => decodeEnvelope(m.envelope).body.payload as { target?: string; round?: number })
    .filter((p) => p.target === payload.target);
  const expectedRound = earlier.length + 1;
  if (expectedRound > 2 || payload.round !== expectedRound) {
    throw new CaseError(
      CaseErrorCode.ACTION_NOT_ALLOWED,
      expectedRound > 2
        ? `Case ${record.caseNumber} was already rated and re-rated for ${String(payload.target)}; a rating can be changed only once.`
        : `The next rating of case ${record.caseNumber} for ${String(payload.target)} is round ${expectedRound}, not ${String(payload.round)}.`,
      { state: record.state, expectedRound: expectedRound > 2 ? null : expectedRound },
    );
  }
}
