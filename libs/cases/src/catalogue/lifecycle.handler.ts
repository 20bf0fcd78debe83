import { MessageType, decodeEnvelope } from '@tongban/envelope';
import { CaseError, CaseErrorCode } from '../case-error';
import type { CaseChange, CaseRecord, HandoffStore } from '../ports/handoff-store.port';
import { resolveTransition } from './allowed-actions';
import { dashboardFiguresFor } from './dashboard-figures.rules';
import { caseUpdateFor } from './deadline.rules';
import type { HandlerContext, MessageHandler } from './message-handler';
import { requireCase, requireCounterparty } from './require-case';

/**
 * Every lifecycle step after the submission that the LIFECYCLE table fully describes: the case must
 * exist, the message go between its two districts, and the table allow it in the current state.
 * Steps with more to check (the 签收's reference, ratings' rounds) add it here.
 */
export class LifecycleHandler implements MessageHandler {
  constructor(readonly type: MessageType) {}

  async plan({ body, loadCase, at, store, alliance, calendars }: HandlerContext): Promise<CaseChange> {
    const record = await requireCase(body, await loadCase());
    requireCounterparty(record, body);
    const to = resolveTransition(record, body.sender, this.type, body.payload);
    if (this.type === MessageType.EVALUATION) await checkEvaluationRound(record, body.payload, store);
    const set = { ...caseUpdateFor(this.type, record, to, body.payload, at, alliance, calendars), ...dashboardFiguresFor(this.type, record, to, body.payload, at, calendars) };
    return { kind: 'transition', caseNumber: record.caseNumber, from: record.state, to, at, set };
  }
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
