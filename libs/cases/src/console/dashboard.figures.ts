import type { DashboardFigureRow } from '../ports/dashboard-store.port';
import { SATISFACTION_LEVELS } from './rating.usecase';

export type SatisfactionLevel = (typeof SATISFACTION_LEVELS)[number];
export type SatisfactionCounts = Record<SatisfactionLevel, number>;

/**
 * The figures of one group of cases collected in the period (a partner, an item, or all).
 *
 * - completionRate (办结率) = concluded / total: of the cases COLLECTED in the period (the cohort by
 *   collection date, 收件时间), the share decided by now (准予 or 不予, i.e. the conclusion was
 *   accepted). Cases refused (不予受理), withdrawn or terminated count in the total and never as
 *   concluded; a case still running counts in the total only. Null when there are no cases.
 * - onTimeRate (按时办结率) = onTime / concluded cases that had a promised due date; on time means the
 *   decision came by the promised due date (extended by any pause).
 * - Working days (approving district's calendar, from acceptance, paused days excluded), averaged
 *   over the concluded cases with all three figures known: used, promised limit, statutory limit.
 * - timeSaved… = 1 − Σused / Σlimit over those cases (the share of the limit not needed; Binzhou's
 *   "52.3% below statutory"). Null when the limits sum to 0 (no such cases, or same-day limits).
 * - satisfaction: the latest rating per case and target (a re-rating replaces the first), by level.
 */
export interface DashboardFigures {
  total: number;
  accepted: number;
  concluded: number;
  completionRate: number | null;
  onTime: number;
  /** Concluded cases that had a promised due date: the on-time rate's denominator. */
  concludedWithDue: number;
  onTimeRate: number | null;
  /** Concluded cases with working-day figures: the averages' denominator. */
  measured: number;
  avgWorkingDaysUsed: number | null;
  avgPromisedWorkingDays: number | null;
  avgStatutoryWorkingDays: number | null;
  timeSavedVsPromised: number | null;
  timeSavedVsStatutory: number | null;
  satisfaction: { WINDOW_SERVICE: SatisfactionCounts; CASE_HANDLING: SatisfactionCounts };
}

const zeroCounts = (): SatisfactionCounts => Object.fromEntries(SATISFACTION_LEVELS.map((l) => [l, 0])) as SatisfactionCounts;
/** Rates to 4 decimals (0.1 % on the screen), averages to 2. */
const ratio = (part: number, whole: number, digits = 4): number | null => (whole > 0 ? round(part / whole, digits) : null);
const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits;

/** Sums the store's groups into one set of figures. */
export function summarise(rows: readonly DashboardFigureRow[]): DashboardFigures {
  const sum = (pick: (r: DashboardFigureRow) => number) => rows.reduce((n, r) => n + pick(r), 0);
  const total = sum((r) => r.total);
  const concluded = sum((r) => r.concluded);
  const onTime = sum((r) => r.onTime);
  const concludedWithDue = sum((r) => r.concludedWithDue);
  const measured = sum((r) => r.measured);
  const used = sum((r) => r.workingDaysUsed);
  const promised = sum((r) => r.promisedWorkingDays);
  const statutory = sum((r) => r.statutoryWorkingDays);
  const satisfaction = { WINDOW_SERVICE: zeroCounts(), CASE_HANDLING: zeroCounts() };
  for (const r of rows) {
    for (const level of SATISFACTION_LEVELS) {
      satisfaction.WINDOW_SERVICE[level] += r.windowRatings[level] ?? 0;
      satisfaction.CASE_HANDLING[level] += r.handlingRatings[level] ?? 0;
    }
  }
  return {
    total,
    accepted: sum((r) => r.accepted),
    concluded,
    completionRate: ratio(concluded, total),
    onTime,
    concludedWithDue,
    onTimeRate: ratio(onTime, concludedWithDue),
    measured,
    avgWorkingDaysUsed: ratio(used, measured, 2),
    avgPromisedWorkingDays: ratio(promised, measured, 2),
    avgStatutoryWorkingDays: ratio(statutory, measured, 2),
    timeSavedVsPromised: promised > 0 ? round(1 - used / promised, 4) : null,
    timeSavedVsStatutory: statutory > 0 ? round(1 - used / statutory, 4) : null,
    satisfaction,
  };
}

/**
 * A period of local dates (+08:00, both days included) as the instants [from, to) the store reads.
 * China has one time zone and no daylight saving, so a fixed offset is exact.
 */
export function periodInstants(from: string, to: string): { from: Date; to: Date } {
  const start = new Date(`${from}T00:00:00+08:00`);
  const end = new Date(new Date(`${to}T00:00:00+08:00`).getTime() + 86_400_000);
  return { from: start, to: end };
}

/** The local date (+08:00) of an instant, as YYYY-MM-DD. */
export function localDate(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}
