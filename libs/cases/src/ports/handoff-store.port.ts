import { CaseState, MessageStatus } from '../case-state';

export interface CaseRecord {
  caseNumber: string;
  collaborationId: string;
  collectingDistrict: string;
  approvingDistrict: string;
  agreementId: string;
  itemCode: string;
  itemName: string;
  contractVersion: string;
  state: CaseState;
  /** 办件类型 from the submission: 1 即办件, 2 承诺件, 9 其他. */
  caseType: string;
  /** While SUSPENDED: why (a supplement after acceptance, or a special procedure). */
  suspensionKind: string | null;
  /** When the approving side signed for it (签收): the 5-working-day supplement-notice rule runs from here. */
  receivedAt: Date | null;
  supplementNoticeDueAt: Date | null;
  acceptedAt: Date | null;
  /** Due dates in the approving district's working days, extended by every pause. */
  promisedDueAt: Date | null;
  statutoryDueAt: Date | null;
  suspendedAt: Date | null;
  pausedWorkingDays: number;
  /** Why a due date could not be computed (e.g. no calendar yet for that year). */
  deadlineNote: string | null;
  /** 容缺受理: when the last tolerated item is due; null once they arrived (or never tolerated). */
  toleratedItemsDueAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The case fields a lifecycle step may change besides its state. */
export type CaseUpdate = Partial<
  Pick<
    CaseRecord,
    | 'suspensionKind'
    | 'receivedAt'
    | 'supplementNoticeDueAt'
    | 'acceptedAt'
    | 'promisedDueAt'
    | 'statutoryDueAt'
    | 'suspendedAt'
    | 'pausedWorkingDays'
    | 'deadlineNote'
    | 'toleratedItemsDueAt'
  > &
    CaseFigures
>;

/**
 * Figures the supervisor dashboard aggregates, written by the step that settles them (the decision,
 * a rating) so the dashboard sums columns instead of replaying calendars and envelopes per case.
 */
export interface CaseFigures {
  /** When the decision (准予 / 不予, 办结) was accepted by the gateway. */
  concludedAt: Date;
  /** Approving district's working days from acceptance to the decision, paused days excluded; null without a calendar. */
  workingDaysUsed: number | null;
  /** The promised and statutory limits of this case in the same working days (pauses excluded). */
  promisedWorkingDays: number | null;
  statutoryWorkingDays: number | null;
  /** The latest named satisfaction level per target (a re-rating replaces the first). */
  windowRating: string;
  handlingRating: string;
}

export interface StoredMessage {
  messageId: string;
  caseNumber: string;
  collaborationId: string;
  sender: string;
  recipient: string;
  messageType: string;
  contractId: string;
  contractVersion: string;
  envelope: string;
  envelopeDigest: string;
  bodyDigest: string;
  sentAt: Date;
  acceptedAt: Date;
  receiptId: string;
  receipt: string;
  status: MessageStatus;
  queuedAt: Date | null;
  deliveredAt: Date | null;
  acknowledgedAt: Date | null;
  deadLetteredAt: Date | null;
  deadLetterReason: string | null;
  replayCount: number;
  /** The contract version the recipient receives: the sender's, or the one it was converted to. */
  deliveredContractVersion: string;
  /** The gateway-signed conversion (tongban-conversion+jws) when the recipient gets another version. */
  conversion: string | null;
}

/** The delivery-lifecycle fields of a message just accepted: not queued, delivered or dead-lettered yet. */
export type AcceptedMessageFields = Omit<
  StoredMessage,
  'status' | 'queuedAt' | 'deliveredAt' | 'acknowledgedAt' | 'deadLetteredAt' | 'deadLetterReason' | 'replayCount'
>;

/** A message as it is stored at acceptance, whoever accepted it (a partner's, or the gateway's own). */
export function acceptedMessage(fields: AcceptedMessageFields): StoredMessage {
  return {
    ...fields,
    status: MessageStatus.ACCEPTED,
    queuedAt: null,
    deliveredAt: null,
    acknowledgedAt: null,
    deadLetteredAt: null,
    deadLetterReason: null,
    replayCount: 0,
  };
}

/** What accepting a message does to its case: open it, or move it from one state to another. */
export type CaseChange =
  | { kind: 'open'; record: CaseRecord }
  | { kind: 'transition'; caseNumber: string; from: CaseState; to: CaseState; at: Date; set?: CaseUpdate };

export interface Rejection {
  receivedAt: Date;
  peer: string;
  code: string;
  messageId: string | null;
  envelopeDigest: string | null;
  sizeBytes: number;
  detail: string;
}

export interface OutboxItem {
  outboxId: string;
  messageId: string;
  recipient: string;
  messageType: string;
  envelope: string;
}

export interface InboxItem {
  seq: string;
  messageId: string;
  messageType: string;
  /** contract reference the recipient should read, e.g. case-submission@1.0.0 */
  contract: string;
  conversion: string | null;
  sender: string;
  caseNumber: string;
  envelope: string;
  receipt: string;
  deliveredAt: Date;
}

/** A limit of a case that has reached its warning share or its due time and has not been announced. */
export interface DueDeadline {
  caseNumber: string;
  collaborationId: string;
  collectingDistrict: string;
  approvingDistrict: string;
  deadline: 'SUPPLEMENT_NOTICE' | 'PROMISED' | 'STATUTORY' | 'TOLERATED_ITEMS';
  kind: 'WARNING' | 'OVERDUE';
  /** The case's state when found: the compare-and-set basis if the event ends the case. */
  state: CaseState;
  startedAt: Date;
  dueAt: Date;
}

export class CaseConflictError extends Error {
  constructor(readonly caseNumber: string, readonly actualState: CaseState | null) {
    super(`case ${caseNumber} is no longer in the expected state`);
  }
}
export class DuplicateMessageError extends Error {
  constructor(readonly messageId: string) {
    super(`message ${messageId} exists`);
  }
}
export class DuplicateCaseError extends Error {
  constructor(
    readonly caseNumber: string,
    /** Which unique key collided. */
    readonly key: 'caseNumber' | 'collaborationId' = 'caseNumber',
  ) {
    super(`case ${caseNumber} exists (${key})`);
  }
}

/**
 * Everything the exchange keeps in PostgreSQL. Each method is one transaction: the use cases never
 * hold a transaction open across a network call.
 */
/** A page of a district's cases for the console's lists (newest first, keyset by created_at). */
export interface CaseListFilter {
  district: string;
  direction: 'outgoing' | 'incoming';
  partner?: string;
  state?: string;
  itemCode?: string;
  /** Only cases whose promised due date has passed while still running. */
  overdueAt?: Date;
  /** Keyset cursor: created_at and case number of the last row of the previous page. */
  before?: { createdAt: Date; caseNumber: string };
  limit: number;
}

export abstract class HandoffStore {
  abstract findMessage(messageId: string): Promise<StoredMessage | null>;
  abstract findCase(caseNumber: string): Promise<CaseRecord | null>;
  /** Every message of a case, oldest first: its timeline. */
  abstract listCaseMessages(caseNumber: string): Promise<StoredMessage[]>;
  abstract listCases(filter: CaseListFilter): Promise<CaseRecord[]>;
  /**
   * message + case change + outbox row + links from the referenced materials to the case (so both
   * parties may download them) in ONE transaction. Throws CaseConflictError / DuplicateMessageError /
   * DuplicateCaseError.
   */
  abstract commitAccepted(message: StoredMessage, change: CaseChange, materialDigests?: readonly string[]): Promise<void>;
  abstract recordRejection(rejection: Rejection): Promise<void>;

  /** Limits of open, running cases whose warning share or due time has passed, not yet announced. */
  abstract findDueDeadlines(now: Date, warningShare: number, limit: number): Promise<DueDeadline[]>;
  /** Records the event and the gateway's messages announcing it (with their outbox rows) in ONE transaction; false if already recorded. */
  abstract recordDeadlineEvent(event: DueDeadline, at: Date, messages: StoredMessage[], terminate?: { from: CaseState }): Promise<boolean>;

  /** Locks up to `limit` outbox rows (SKIP LOCKED), hands them to `publish`, and deletes them and marks their messages QUEUED only if it resolves. */
  abstract relayOutbox(limit: number, publish: (items: OutboxItem[]) => Promise<void>, at: Date): Promise<number>;

  /**
   * Inbox dedupe + effect in one transaction, only for the accepted message with exactly this recipient
   * and envelope digest; false when it was already delivered, or no such message exists.
   */
  abstract recordDelivery(
    delivery: { messageId: string; recipient: string; envelopeDigest: string },
    channel: 'PULL' | 'PUSH',
    at: Date,
    acknowledged: boolean,
  ): Promise<boolean>;
  abstract pullInbox(recipient: string, afterSeq: string | null, limit: number): Promise<InboxItem[]>;
  /** Returns the ids that were pending for that recipient and are now acknowledged. */
  abstract acknowledgeInbox(recipient: string, messageIds: string[], at: Date): Promise<string[]>;

  abstract markDeadLettered(messageId: string, reason: string, at: Date): Promise<boolean>;
  abstract listDeadLettered(limit: number, recipient?: string): Promise<StoredMessage[]>;
  /** Puts a dead-lettered message back in the outbox. False when it was not dead-lettered. */
  abstract replay(messageId: string, actor: string, at: Date): Promise<boolean>;
  abstract recordAdminAction(action: { at: Date; actor: string; action: string; target: string; outcome: string }): Promise<void>;
}
