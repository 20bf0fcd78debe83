import { MessageType } from '@tongban/envelope';
import { CaseParty, CaseState } from '../case-state';

/** States after which nothing but a rating may happen. */
export const FINAL_STATES: ReadonlySet<CaseState> = new Set([CaseState.NOT_ACCEPTED, CaseState.DELIVERED, CaseState.WITHDRAWN, CaseState.TERMINATED]);

const NON_FINAL = Object.values(CaseState).filter((s) => !FINAL_STATES.has(s));
/** Once accepted (受理), the case can be rated; the rating attaches to the case and changes no state. */
const ACCEPTED_ONWARDS = [
  CaseState.ACCEPTED,
  CaseState.IN_REVIEW,
  CaseState.SUSPENDED,
  CaseState.APPROVED,
  CaseState.DENIED,
  CaseState.CONCLUDED,
  CaseState.RESULT_RETURNED,
  CaseState.RESULT_IN_TRANSIT,
  CaseState.DELIVERED,
];

/** What a rule may look at besides the state: the case's own facts and the message's payload. */
export interface RuleFacts {
  caseType: string;
  suspensionKind: string | null;
  /** 容缺受理 with items still to come. */
  toleratedItemsPending: boolean;
  payload: Record<string, unknown>;
}

export interface LifecycleRule {
  type: MessageType;
  party: CaseParty | 'EITHER';
  from: readonly CaseState[];
  /** The state after the message; a function when the payload decides (e.g. 准予 or 不予). */
  to: CaseState | ((facts: RuleFacts) => CaseState);
  /**
   * Extra condition, with the reason shown when it fails. `on: 'case'` conditions read only the case, so
   * "allowed actions" can evaluate them; `on: 'payload'` ones are decided when the message arrives.
   */
  when?: { on: 'case' | 'payload'; test: (facts: RuleFacts) => boolean; unless: string };
}

const SUPPLEMENT_AFTER_ACCEPTANCE = 'SUPPLEMENT_AFTER_ACCEPTANCE';

/**
 * The canonical case lifecycle of DOMAIN.md §4 as one table: who may send which message in which
 * state, and where it leads. The server's "allowed next actions" and every state check come from here.
 */
export const LIFECYCLE: readonly LifecycleRule[] = [
  { type: MessageType.CASE_ACKNOWLEDGEMENT, party: CaseParty.APPROVING, from: [CaseState.DISPATCHED], to: CaseState.ACKNOWLEDGED },
  // 补正 before acceptance: the clock has not started; after acceptance it pauses the clock.
  {
    type: MessageType.SUPPLEMENT_REQUEST,
    party: CaseParty.APPROVING,
    from: [CaseState.ACKNOWLEDGED],
    to: CaseState.SUPPLEMENT_REQUESTED,
    when: { on: 'payload', test: (f) => f.payload.phase === 'BEFORE_ACCEPTANCE', unless: 'before acceptance the phase is BEFORE_ACCEPTANCE' },
  },
  {
    type: MessageType.SUPPLEMENT_REQUEST,
    party: CaseParty.APPROVING,
    from: [CaseState.ACCEPTED, CaseState.IN_REVIEW],
    to: CaseState.SUSPENDED,
    when: { on: 'payload', test: (f) => f.payload.phase === 'AFTER_ACCEPTANCE', unless: 'after acceptance the phase is AFTER_ACCEPTANCE' },
  },
  { type: MessageType.SUPPLEMENT, party: CaseParty.COLLECTING, from: [CaseState.SUPPLEMENT_REQUESTED], to: CaseState.ACKNOWLEDGED },
  {
    type: MessageType.SUPPLEMENT,
    party: CaseParty.COLLECTING,
    from: [CaseState.SUSPENDED],
    to: CaseState.IN_REVIEW,
    when: { on: 'case', test: (f) => f.suspensionKind === SUPPLEMENT_AFTER_ACCEPTANCE, unless: 'the case is suspended for a special procedure, not waiting for a supplement' },
  },
  // The tolerated (容缺) items arrive after acceptance without moving the case.
  {
    type: MessageType.SUPPLEMENT,
    party: CaseParty.COLLECTING,
    from: [CaseState.ACCEPTED, CaseState.IN_REVIEW],
    to: sameState,
    when: { on: 'case', test: (f) => f.toleratedItemsPending, unless: 'no tolerated (容缺) items are pending' },
  },
  { type: MessageType.ACCEPTANCE, party: CaseParty.APPROVING, from: [CaseState.ACKNOWLEDGED], to: CaseState.ACCEPTED },
  { type: MessageType.TOLERANCE_ACCEPTANCE, party: CaseParty.APPROVING, from: [CaseState.ACKNOWLEDGED], to: CaseState.ACCEPTED },
  { type: MessageType.NON_ACCEPTANCE, party: CaseParty.APPROVING, from: [CaseState.ACKNOWLEDGED, CaseState.SUPPLEMENT_REQUESTED], to: CaseState.NOT_ACCEPTED },
  { type: MessageType.PROCESSING_STEP, party: CaseParty.APPROVING, from: [CaseState.ACCEPTED, CaseState.IN_REVIEW], to: CaseState.IN_REVIEW },
  { type: MessageType.SUSPENSION, party: CaseParty.APPROVING, from: [CaseState.ACCEPTED, CaseState.IN_REVIEW], to: CaseState.SUSPENDED },
  {
    type: MessageType.RESUMPTION,
    party: CaseParty.APPROVING,
    from: [CaseState.SUSPENDED],
    to: CaseState.IN_REVIEW,
    when: { on: 'case', test: (f) => f.suspensionKind !== SUPPLEMENT_AFTER_ACCEPTANCE, unless: 'a suspension for a supplement ends with the supplement' },
  },
  { type: MessageType.CONCLUSION, party: CaseParty.APPROVING, from: [CaseState.IN_REVIEW], to: decisionState },
  // 即办件 (case type 1) may be concluded right after acceptance.
  {
    type: MessageType.CONCLUSION,
    party: CaseParty.APPROVING,
    from: [CaseState.ACCEPTED],
    to: decisionState,
    when: { on: 'case', test: (f) => f.caseType === '1', unless: 'only an immediate case (即办件) is concluded without review steps' },
  },
  {
    type: MessageType.RESULT_RETURN,
    party: CaseParty.APPROVING,
    from: [CaseState.APPROVED, CaseState.DENIED],
    to: (f) => (f.payload.method === 'MAIL' ? CaseState.RESULT_IN_TRANSIT : CaseState.RESULT_RETURNED),
  },
  { type: MessageType.DELIVERY_CONFIRMATION, party: CaseParty.COLLECTING, from: [CaseState.RESULT_RETURNED, CaseState.RESULT_IN_TRANSIT], to: CaseState.DELIVERED },
  { type: MessageType.ORIGINALS_MAILED, party: CaseParty.COLLECTING, from: NON_FINAL.filter((s) => s !== CaseState.COLLECTED), to: sameState },
  { type: MessageType.EVALUATION, party: 'EITHER', from: ACCEPTED_ONWARDS, to: sameState },
  { type: MessageType.WITHDRAWAL, party: 'EITHER', from: NON_FINAL, to: CaseState.WITHDRAWN },
  { type: MessageType.TERMINATION, party: 'EITHER', from: NON_FINAL, to: CaseState.TERMINATED },
];

function decisionState(facts: RuleFacts): CaseState {
  return facts.payload.decision === 'APPROVED' ? CaseState.APPROVED : CaseState.DENIED;
}

/** Marker for messages that record something without moving the case. */
function sameState(): CaseState {
  return SAME_STATE;
}
export const SAME_STATE = '__same__' as CaseState;

export { SUPPLEMENT_AFTER_ACCEPTANCE };
