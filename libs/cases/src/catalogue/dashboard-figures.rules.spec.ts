import { loadCalendars } from '@tongban/calendar';
import { MessageType } from '@tongban/envelope';
import { join } from 'node:path';
import { CaseState } from '../case-state';
import type { CaseRecord } from '../ports/handoff-store.port';
import { dashboardFiguresFor } from './dashboard-figures.rules';

const calendars = loadCalendars(join(__dirname, '..', '..', '..', '..', 'config', 'calendars'));
const luohu = calendars.forDistrict('440303');

const accepted = new Date('2026-11-20T10:00:00+08:00'); // a Friday
const record = (overrides: Partial<CaseRecord> = {}): CaseRecord => ({
  caseNumber: 'C-1',
  collaborationId: 'x',
  collectingDistrict: 'HZ-ZHONGKAI',
  approvingDistrict: '440303',
  agreementId: 'A',
  itemCode: 'I',
  itemName: 'item',
  contractVersion: '1.0.0',
  state: CaseState.IN_REVIEW,
  caseType: '2',
  suspensionKind: null,
  receivedAt: null,
  supplementNoticeDueAt: null,
  acceptedAt: accepted,
  promisedDueAt: luohu.addWorkingDays(accepted, 1),
  statutoryDueAt: luohu.addWorkingDays(accepted, 3),
  suspendedAt: null,
  pausedWorkingDays: 0,
  deadlineNote: null,
  toleratedItemsDueAt: null,
  createdAt: accepted,
  updatedAt: accepted,
  ...overrides,
});
const figures = (type: MessageType, r: CaseRecord, to: CaseState, at: string, payload: Record<string, unknown> = {}) =>
  dashboardFiguresFor(type, r, to, payload, new Date(at), calendars);

describe('dashboard figures settled by a lifecycle step', () => {
  it('records the decision with the working days used and the limits, across a weekend', () => {
    // Fri accepted; Mon 11-23 (1), Tue 11-24 (2): decided on the second working day, promised 1, statutory 3.
    expect(figures(MessageType.CONCLUSION, record(), CaseState.APPROVED, '2026-11-24T09:00:00+08:00')).toEqual({
      concludedAt: new Date('2026-11-24T09:00:00+08:00'),
      workingDaysUsed: 2,
      promisedWorkingDays: 1,
      statutoryWorkingDays: 3,
    });
  });

  it('leaves out the working days the clock was paused, from the time used and from the extended limits', () => {
    const paused = record({ pausedWorkingDays: 1, promisedDueAt: luohu.addWorkingDays(accepted, 2), statutoryDueAt: luohu.addWorkingDays(accepted, 4) });
    expect(figures(MessageType.CONCLUSION, paused, CaseState.DENIED, '2026-11-25T16:00:00+08:00')).toMatchObject({ workingDaysUsed: 2, promisedWorkingDays: 1, statutoryWorkingDays: 3 });
  });

  it('counts a same-day decision as 0 working days', () => {
    expect(figures(MessageType.CONCLUSION, record(), CaseState.APPROVED, '2026-11-20T17:00:00+08:00')).toMatchObject({ workingDaysUsed: 0 });
  });

  it('keeps the decision time but no working days when a day lies outside the published calendars', () => {
    const late = new Date('2031-03-03T10:00:00+08:00');
    expect(figures(MessageType.CONCLUSION, record({ acceptedAt: late, promisedDueAt: null, statutoryDueAt: null }), CaseState.APPROVED, '2031-03-04T10:00:00+08:00')).toEqual({
      concludedAt: new Date('2031-03-04T10:00:00+08:00'),
      workingDaysUsed: null,
      promisedWorkingDays: null,
      statutoryWorkingDays: null,
    });
  });

  it('records the latest rating per target; other steps settle nothing', () => {
    expect(figures(MessageType.EVALUATION, record({ state: CaseState.DELIVERED }), CaseState.DELIVERED, '2026-11-25T10:00:00+08:00', { target: 'WINDOW_SERVICE', level: 'DISSATISFIED' })).toEqual({
      windowRating: 'DISSATISFIED',
    });
    expect(figures(MessageType.EVALUATION, record(), CaseState.IN_REVIEW, '2026-11-25T10:00:00+08:00', { target: 'CASE_HANDLING', level: 'VERY_SATISFIED' })).toEqual({
      handlingRating: 'VERY_SATISFIED',
    });
    expect(figures(MessageType.PROCESSING_STEP, record(), CaseState.IN_REVIEW, '2026-11-25T10:00:00+08:00')).toEqual({});
    expect(figures(MessageType.RESULT_RETURN, record({ state: CaseState.APPROVED }), CaseState.RESULT_RETURNED, '2026-11-25T10:00:00+08:00')).toEqual({});
  });
});
