/**
 * One district's working calendar (national calendar + that district's override) and the deadline
 * arithmetic over it. Pure: no clock, no I/O; every answer depends on the loaded data only.
 *
 * Conventions (China Standard Time, +08:00, for every date):
 * - Counting starts on the day AFTER the local day of the starting instant: the day of receipt is
 *   not counted (行政许可法 Art. 82 counts working days; 民法典 Art. 201: 开始的当日不计入).
 * - A day-based deadline is the END of its last day, 23:59:59.999 +08:00: whatever is done on
 *   the due day is on time.
 * - Every day a computation looks at, including the day of the starting instant, must lie in a
 *   year with a loaded national calendar; otherwise CALENDAR_NOT_AVAILABLE naming the year. There
 *   is no weekends-only fallback, not even for districts with an override.
 */
import { CalendarError, CalendarErrorCode } from './calendar.error';
import type { DistrictOverrideData } from './calendar-file.parser';
import {
  dayFromParts,
  dayOfInput,
  dayOfMs,
  daysInMonth,
  endOfDayMs,
  formatDay,
  msOf,
  partsOf,
  startOfDayMs,
  weekdayOf,
  yearOf,
} from './local-date.codec';

/** The same units as @tongban/config's TIME_UNITS (a spec keeps the two in step). */
export const LIMIT_UNITS = ['WORKING_DAYS', 'NATURAL_DAYS', 'HOURS', 'MINUTES', 'MONTHS'] as const;
export type LimitUnit = (typeof LIMIT_UNITS)[number];

/** Structurally the TimeLimit of @tongban/config, so an item's configured limit is passed as is. */
export interface Limit {
  readonly value: number;
  readonly unit: LimitUnit;
}

/** Why a day is or is not a working day, in precedence order (see DistrictOverrideFile). */
export type DayReason =
  | 'DISTRICT_EXTRA_HOLIDAY'
  | 'DISTRICT_EXTRA_WORKING_DAY'
  | 'STATUTORY_HOLIDAY'
  | 'MAKE_UP_WORKING_DAY'
  /** Monday to Friday, nationally and in the district. */
  | 'WEEKDAY'
  /** Saturday or Sunday, nationally and in the district. */
  | 'WEEKEND'
  /** A Saturday or Sunday the district's workingWeekdays make a working day (仲恺's Saturdays). */
  | 'DISTRICT_WORKING_WEEKDAY'
  /** A Monday to Friday the district's workingWeekdays leave out. */
  | 'DISTRICT_REST_WEEKDAY';

export interface DayInfo {
  /** 'YYYY-MM-DD', +08:00. */
  readonly date: string;
  /** 0 = Sunday … 6 = Saturday. */
  readonly weekday: number;
  readonly working: boolean;
  readonly reason: DayReason;
  /** The holiday: its name for STATUTORY_HOLIDAY, the one it pays for on MAKE_UP_WORKING_DAY (when the file says). */
  readonly holiday?: string;
}

const MONDAY_TO_FRIDAY: ReadonlySet<number> = new Set([1, 2, 3, 4, 5]);
const MS_PER_HOUR = 3_600_000;
const MS_PER_MINUTE = 60_000;

export class WorkingCalendar {
  /** @internal Built by CalendarSet; use loadCalendars(dir).forDistrict(id). */
  constructor(
    /** The district whose calendar this is; undefined for the national calendar. */
    readonly district: string | undefined,
    private readonly years: ReadonlySet<number>,
    private readonly holidays: ReadonlyMap<number, string>,
    private readonly makeUpWorkingDays: ReadonlyMap<number, string>,
    private readonly override: DistrictOverrideData | undefined,
  ) {}

  /** Is the local date ('YYYY-MM-DD', or the +08:00 date of the instant) a working day here? */
  isWorkingDay(date: string | Date): boolean {
    return this.classify(dayOfInput(date, 'date')).working;
  }

  /** What the calendar says about a local date, and why: for explaining a deadline to a person. */
  dayInfo(date: string | Date): DayInfo {
    return this.classify(dayOfInput(date, 'date'));
  }

  /**
   * The deadline n working days after `from`: the END (23:59:59.999 +08:00) of the n-th working
   * day strictly after the local day of `from` (the day of `from` itself never counts, working day
   * or not, whatever the time of day). n = 0: the end of `from`'s own local day (即办件, same day).
   *
   * Composes exactly: addWorkingDays(addWorkingDays(d, a), b) equals addWorkingDays(d, a + b)
   * for all a, b >= 0, because the end of a working day lies on that day, which is not counted again.
   */
  addWorkingDays(from: Date, n: number): Date {
    const start = dayOfMs(msOf(from, 'from'));
    return new Date(endOfDayMs(this.nthWorkingDayAfter(start, count(n, 'n'))));
  }

  /**
   * Working days in the half-open range of local days (day of `from`, day of `to`]: strictly after
   * `from`'s day, up to and including `to`'s day; times of day are ignored. Same day: 0. When `to`'s
   * day is before `from`'s, the negated count of (day of `to`, day of `from`], so the measure is
   * additive: between(a, b) + between(b, c) === between(a, c), and between(d, addWorkingDays(d, n)) === n.
   */
  workingDaysBetween(from: Date, to: Date): number {
    const a = dayOfMs(msOf(from, 'from'));
    const b = dayOfMs(msOf(to, 'to'));
    this.assertAvailable(a);
    this.assertAvailable(b);
    const [lo, hi, sign] = a <= b ? [a, b, 1] : [b, a, -1];
    let n = 0;
    for (let day = lo + 1; day <= hi; day++) if (this.classify(day).working) n++;
    return sign * n || 0;
  }

  /**
   * A due instant pushed back by `paused` working days (a suspension's 中止 time): the same local
   * time of day on the paused-th working day strictly after the local day of `due`; paused = 0
   * returns `due`. For the end-of-day deadlines this library computes it equals
   * addWorkingDays(due, paused), so extendByPausedWorkingDays(addWorkingDays(d, n), k) ===
   * addWorkingDays(d, n + k). Count `paused` with workingDaysBetween(suspendedAt, resumedAt).
   */
  extendByPausedWorkingDays(due: Date, paused: number): Date {
    const ms = msOf(due, 'due');
    const day = dayOfMs(ms);
    const k = count(paused, 'paused');
    if (k === 0) {
      this.assertAvailable(day);
      return new Date(ms);
    }
    return new Date(startOfDayMs(this.nthWorkingDayAfter(day, k)) + (ms - startOfDayMs(day)));
  }

  /**
   * The deadline of a configured limit (an item's statutory or promised limit, a hand-off limit),
   * counted from `from`:
   * - WORKING_DAYS: addWorkingDays(from, value).
   * - NATURAL_DAYS: end of the value-th calendar day after `from`'s local day (holidays included,
   *   no roll-over when it falls on one). 0: end of `from`'s day.
   * - HOURS, MINUTES: the exact instant from + value.
   * - MONTHS: end of the same day of the month, value months later; clamped to the month's last
   *   day when that month is shorter (01-31 + 1 month = 02-28; 民法典 Art. 202).
   * Only WORKING_DAYS consults the calendar (and can throw CALENDAR_NOT_AVAILABLE); the other units
   * are pure clock arithmetic in +08:00.
   */
  addLimit(from: Date, limit: Limit): Date {
    const ms = msOf(from, 'from');
    if (typeof limit !== 'object' || limit === null) {
      throw new CalendarError(CalendarErrorCode.INVALID_ARGUMENT, 'limit must be { value, unit }', { argument: 'limit' });
    }
    const value = count(limit.value, 'limit.value');
    const unit = limit.unit;
    switch (unit) {
      case 'WORKING_DAYS':
        return this.addWorkingDays(from, value);
      case 'NATURAL_DAYS':
        return instant(endOfDayMs(dayOfMs(ms) + value));
      case 'HOURS':
        return instant(ms + value * MS_PER_HOUR);
      case 'MINUTES':
        return instant(ms + value * MS_PER_MINUTE);
      case 'MONTHS': {
        const [y, m, d] = partsOf(dayOfMs(ms));
        const first = dayFromParts(y, m + value, 1);
        const [ty, tm] = partsOf(first);
        return instant(endOfDayMs(first + Math.min(d, daysInMonth(ty, tm)) - 1));
      }
      default: {
        const never: never = unit;
        throw new CalendarError(CalendarErrorCode.INVALID_ARGUMENT, `limit.unit must be one of ${LIMIT_UNITS.join(', ')}; got ${JSON.stringify(never)}`, {
          argument: 'limit.unit',
        });
      }
    }
  }

  /** The n-th working day strictly after `start` (n = 0: `start`), checking every day it touches. */
  private nthWorkingDayAfter(start: number, n: number): number {
    this.assertAvailable(start);
    let day = start;
    for (let found = 0; found < n; ) {
      day++;
      if (this.classify(day).working) found++;
    }
    return day;
  }

  private assertAvailable(day: number): void {
    const year = yearOf(day);
    if (this.years.has(year)) return;
    const loaded = [...this.years].sort((a, b) => a - b).join(', ');
    throw new CalendarError(
      CalendarErrorCode.CALENDAR_NOT_AVAILABLE,
      `No working-day calendar for ${year} (${formatDay(day)}${this.district ? `, district ${this.district}` : ''}): ` +
        `loaded years are ${loaded || 'none'}. Add config/calendars/CN-${year}.json once the State Council publishes that year's holiday notice.`,
      { year, date: formatDay(day), district: this.district },
    );
  }

  private classify(day: number): DayInfo {
    this.assertAvailable(day);
    const date = formatDay(day);
    const weekday = weekdayOf(day);
    const info = (working: boolean, reason: DayReason, holiday?: string): DayInfo =>
      holiday ? { date, weekday, working, reason, holiday } : { date, weekday, working, reason };
    const o = this.override;
    if (o?.extraHolidays.has(day)) return info(false, 'DISTRICT_EXTRA_HOLIDAY');
    if (o?.extraWorkingDays.has(day)) return info(true, 'DISTRICT_EXTRA_WORKING_DAY');
    const holiday = this.holidays.get(day);
    if (holiday !== undefined) return info(false, 'STATUTORY_HOLIDAY', holiday);
    const paysFor = this.makeUpWorkingDays.get(day);
    if (paysFor !== undefined) return info(true, 'MAKE_UP_WORKING_DAY', paysFor || undefined);
    const national = MONDAY_TO_FRIDAY.has(weekday);
    const pattern = o?.workingWeekdays && (o.fromDay === undefined || day >= o.fromDay) ? o.workingWeekdays : MONDAY_TO_FRIDAY;
    const working = pattern.has(weekday);
    if (working === national) return info(working, working ? 'WEEKDAY' : 'WEEKEND');
    return info(working, working ? 'DISTRICT_WORKING_WEEKDAY' : 'DISTRICT_REST_WEEKDAY');
  }
}

/** A count of days, hours, … : an integer, 0 or more. */
function count(value: unknown, argument: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new CalendarError(CalendarErrorCode.INVALID_ARGUMENT, `${argument} must be an integer, 0 or more; got ${JSON.stringify(value)}`, { argument });
  }
  return value;
}

/** A Date of epoch milliseconds, refusing results beyond the Date range (a limit of 10^15 hours). */
function instant(ms: number): Date {
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) {
    throw new CalendarError(CalendarErrorCode.INVALID_ARGUMENT, 'limit.value is too large: the deadline lies beyond the range of Date', { argument: 'limit.value' });
  }
  return date;
}
