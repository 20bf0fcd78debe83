import type { Alliance, TimeLimit } from '@tongban/config';
import { MessageType } from '@tongban/envelope';
import { CaseState } from '../case-state';
import type { WorkingCalendars } from '../ports/calendars.port';
import type { CaseRecord, CaseUpdate } from '../ports/handoff-store.port';
import { SUPPLEMENT_AFTER_ACCEPTANCE } from './case-lifecycle';

/** 行政许可法 Art. 32: a supplement notice comes within 5 working days of receipt. */
export const SUPPLEMENT_NOTICE_WORKING_DAYS = 5;

/**
 * What a lifecycle step does to the case's clocks, counted in the APPROVING district's calendar
 * (DOMAIN.md §5): receipt starts the 5-working-day notice rule; acceptance sets the promised and
 * statutory due dates from the item's limits; a suspension pauses them and the resumption extends
 * them by exactly the paused working days. Times are the gateway's (when the message was accepted),
 * which neither side can backdate.
 */
export function caseUpdateFor(
  type: MessageType,
  record: CaseRecord,
  to: CaseState,
  payload: Record<string, unknown>,
  at: Date,
  alliance: Alliance,
  calendars: WorkingCalendars,
): CaseUpdate {
  const calendar = calendars.forDistrict(record.approvingDistrict);
  const update: CaseUpdate = {};
  const safely = (what: string, compute: () => Date): Date | null => {
    try {
      return compute();
    } catch (error) {
      // A due date past the last published calendar: keep the case going, say why the date is missing.
      update.deadlineNote = `${what}: ${(error as Error).message}`;
      return null;
    }
  };

  if (type === MessageType.CASE_ACKNOWLEDGEMENT) {
    update.receivedAt = at;
    update.supplementNoticeDueAt = safely('supplement notice', () => calendar.addWorkingDays(at, SUPPLEMENT_NOTICE_WORKING_DAYS));
  }
  if (type === MessageType.ACCEPTANCE || type === MessageType.TOLERANCE_ACCEPTANCE) {
    const item = itemOf(record, alliance);
    update.acceptedAt = at;
    if (item) {
      update.promisedDueAt = safely('promised limit', () => calendar.addLimit(at, item.promisedLimit));
      update.statutoryDueAt = safely('statutory limit', () => calendar.addLimit(at, item.statutoryLimit));
    } else {
      update.deadlineNote = `item ${record.itemCode} is no longer in agreement ${record.agreementId}; no limits to count`;
    }
  }
  if (type === MessageType.TOLERANCE_ACCEPTANCE) {
    const dues = ((payload.pendingItems as Array<{ dueAt?: string }> | undefined) ?? []).map((i) => Date.parse(i.dueAt ?? '')).filter((t) => !Number.isNaN(t));
    if (dues.length > 0) update.toleratedItemsDueAt = new Date(Math.max(...dues));
  }
  if (type === MessageType.SUPPLEMENT && record.toleratedItemsDueAt && (record.state === CaseState.ACCEPTED || record.state === CaseState.IN_REVIEW)) {
    update.toleratedItemsDueAt = null;
  }
  if (to === CaseState.SUSPENDED && record.state !== CaseState.SUSPENDED) {
    update.suspendedAt = at;
    update.suspensionKind = type === MessageType.SUPPLEMENT_REQUEST ? SUPPLEMENT_AFTER_ACCEPTANCE : String(payload.kind);
  }
  if (record.state === CaseState.SUSPENDED && to !== CaseState.SUSPENDED) {
    update.suspendedAt = null;
    update.suspensionKind = null;
    if (record.suspendedAt) {
      const paused = Math.max(0, calendar.workingDaysBetween(record.suspendedAt, at));
      update.pausedWorkingDays = record.pausedWorkingDays + paused;
      if (record.promisedDueAt) update.promisedDueAt = safely('promised limit', () => calendar.extendByPausedWorkingDays(record.promisedDueAt!, paused));
      if (record.statutoryDueAt) update.statutoryDueAt = safely('statutory limit', () => calendar.extendByPausedWorkingDays(record.statutoryDueAt!, paused));
    }
  }
  return update;
}

function itemOf(record: CaseRecord, alliance: Alliance): { promisedLimit: TimeLimit; statutoryLimit: TimeLimit } | undefined {
  const agreement = alliance.agreements.find((a) => a.id === record.agreementId);
  return agreement?.items.find((i) => i.implementationCode === record.itemCode);
}
