import type { DashboardFigureRow } from '../ports/dashboard-store.port';
import { localDate, periodInstants, summarise } from './dashboard.figures';

const levels = (counts: Partial<Record<string, number>> = {}) => ({ VERY_SATISFIED: 0, SATISFIED: 0, BASIC_SATISFIED: 0, DISSATISFIED: 0, VERY_DISSATISFIED: 0, ...counts });
const row = (overrides: Partial<DashboardFigureRow>): DashboardFigureRow => ({
  direction: 'outgoing',
  partner: '440303',
  itemCode: 'I-1',
  itemName: 'item',
  total: 0,
  accepted: 0,
  concluded: 0,
  concludedWithDue: 0,
  onTime: 0,
  measured: 0,
  workingDaysUsed: 0,
  promisedWorkingDays: 0,
  statutoryWorkingDays: 0,
  windowRatings: levels(),
  handlingRatings: levels(),
  ...overrides,
});

describe('dashboard figures', () => {
  it('sums groups into rates over the right denominators and the time saved from the sums', () => {
    const f = summarise([
      row({ total: 10, accepted: 8, concluded: 6, concludedWithDue: 6, onTime: 5, measured: 6, workingDaysUsed: 12, promisedWorkingDays: 30, statutoryWorkingDays: 60, windowRatings: levels({ SATISFIED: 2 }) }),
      row({ partner: '440304', total: 5, accepted: 5, concluded: 3, concludedWithDue: 2, onTime: 1, measured: 2, workingDaysUsed: 9, promisedWorkingDays: 10, statutoryWorkingDays: 20, handlingRatings: levels({ VERY_DISSATISFIED: 1 }) }),
    ]);
    expect(f).toEqual({
      total: 15,
      accepted: 13,
      concluded: 9,
      completionRate: 0.6, // 9 / 15
      onTime: 6,
      concludedWithDue: 8,
      onTimeRate: 0.75, // 6 / 8: a decided case without a promised due date is neither on time nor late
      measured: 8,
      avgWorkingDaysUsed: 2.63, // 21 / 8
      avgPromisedWorkingDays: 5,
      avgStatutoryWorkingDays: 10,
      timeSavedVsPromised: 0.475, // 1 − 21/40
      timeSavedVsStatutory: 0.7375, // 1 − 21/80
      satisfaction: { WINDOW_SERVICE: levels({ SATISFIED: 2 }), CASE_HANDLING: levels({ VERY_DISSATISFIED: 1 }) },
    });
  });

  it('says "no figure" (null) rather than 0 % when nothing was collected, decided or limited', () => {
    expect(summarise([])).toMatchObject({ total: 0, completionRate: null, onTimeRate: null, avgWorkingDaysUsed: null, timeSavedVsPromised: null, timeSavedVsStatutory: null });
    // Same-day limits (即办件, 0 working days) leave no share to save.
    expect(summarise([row({ total: 1, concluded: 1, measured: 1 })])).toMatchObject({ completionRate: 1, avgWorkingDaysUsed: 0, timeSavedVsPromised: null });
  });

  it('reads a period as whole local days in +08:00, both ends included', () => {
    expect(periodInstants('2026-11-01', '2026-11-30')).toEqual({ from: new Date('2026-10-31T16:00:00Z'), to: new Date('2026-11-30T16:00:00Z') });
    expect(localDate(new Date('2026-11-30T16:30:00Z'))).toBe('2026-12-01');
    expect(localDate(new Date('2026-11-30T15:59:59Z'))).toBe('2026-11-30');
  });
});
