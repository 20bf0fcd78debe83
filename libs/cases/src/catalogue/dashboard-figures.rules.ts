import { MessageType } from '@tongban/envelope';
import { CaseState } from '../case-state';
import type { WorkingCalendars } from '../ports/calendars.port';
import type { CaseFigures, CaseRecord } from '../ports/handoff-store.port';

/**
 * What a lifecycle step settles for the supervisor dashboard, in the same transaction as the step:
 * - the decision (办结, a conclusion to APPROVED or DENIED): when, and the working days it took;
 * - a rating (好差评): the latest named level for its target.
 * Working days are the approving district's (DOMAIN.md §5), counted like the due dates: from the
 * acceptance, without the days the clock was paused. The limits are measured the same way between
 * acceptance and the (pause-extended) due dates, so a limit in natural days or hours compares too.
 */
export function dashboardFiguresFor(
  type: MessageType,
  record: CaseRecord,
  to: CaseState,
  payload: Record<string, unknown>,
  at: Date,
  calendars: WorkingCalendars,
): Partial<CaseFigures> {
  if (type === MessageType.CONCLUSION && (to === CaseState.APPROVED || to === CaseState.DENIED)) {
    return { concludedAt: at, ...workingDaysOf(record, at, calendars) };
  }
  if (type === MessageType.EVALUATION && typeof payload.level === 'string') {
    // The payload is in canonical codes here (partners' digit codes are mapped before the handler).
    if (payload.target === 'WINDOW_SERVICE') return { windowRating: payload.level };
    if (payload.target === 'CASE_HANDLING') return { handlingRating: payload.level };
  }
  return {};
}

function workingDaysOf(record: CaseRecord, concludedAt: Date, calendars: WorkingCalendars): Pick<CaseFigures, 'workingDaysUsed' | 'promisedWorkingDays' | 'statutoryWorkingDays'> {
  const none = { workingDaysUsed: null, promisedWorkingDays: null, statutoryWorkingDays: null };
  const acceptedAt = record.acceptedAt;
  if (!acceptedAt) return none;
  const calendar = calendars.forDistrict(record.approvingDistrict);
  const span = (until: Date | null): number | null => {
    if (!until) return null;
    try {
      return Math.max(0, calendar.workingDaysBetween(acceptedAt, until) - record.pausedWorkingDays);
    } catch {
      return null; // a day outside the published calendars: the figure is left out, the decision still counts
    }
  };
  return { workingDaysUsed: span(concludedAt), promisedWorkingDays: span(record.promisedDueAt), statutoryWorkingDays: span(record.statutoryDueAt) };
}
