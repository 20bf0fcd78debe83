import type { TimeLimit, TimeUnit } from '@tongban/config';
import { buildCalendarSet, CalendarErrorCode, LIMIT_UNITS, type Limit, type LimitUnit } from '@tongban/calendar';
import cn2025 from '../../../config/calendars/CN-2025.json';
import cn2026 from '../../../config/calendars/CN-2026.json';

const NATIONAL = [
  { origin: 'CN-2025.json', content: cn2025 },
  { origin: 'CN-2026.json', content: cn2026 },
];
const at = (local: string): Date => new Date(`${local}+08:00`);
const endOf = (date: string): Date => at(`${date}T23:59:59.999`);

// Compile-time: an item's configured limit (@tongban/config TimeLimit) is a Limit and back.
const _configLimitIsALimit: Limit = { value: 1, unit: 'HOURS' } as TimeLimit;
const _limitIsAConfigLimit: TimeLimit = { value: 1, unit: 'HOURS' } as Limit;
const _sameUnits: [TimeUnit[], LimitUnit[]] = [[...LIMIT_UNITS], [] as TimeUnit[]];

describe('district override precedence', () => {
  const set = buildCalendarSet(NATIONAL, [
    {
      district: 'A',
      from: '2025-06-01', // Saturdays from June 2025 only
      workingWeekdays: [1, 2, 3, 4, 6], // and no Fridays from then on
      extraWorkingDays: ['2025-10-03', '2025-06-08'], // a 国庆节 day and a Sunday
      extraHolidays: ['2025-09-28', '2025-06-10'], // a make-up Sunday and a Tuesday
    },
  ]);
  const a = set.forDistrict('A');

  it.each([
    ['2025-05-31', false, 'STATUTORY_HOLIDAY'], // a Saturday before `from`, and 端午节 anyway
    ['2025-05-24', false, 'WEEKEND'], // a Saturday before `from`
    ['2025-05-23', true, 'WEEKDAY'], // a Friday before `from`
    ['2025-06-07', true, 'DISTRICT_WORKING_WEEKDAY'], // first Saturday from `from`
    ['2025-06-06', false, 'DISTRICT_REST_WEEKDAY'], // a Friday from `from`
    ['2025-06-08', true, 'DISTRICT_EXTRA_WORKING_DAY'],
    ['2025-06-10', false, 'DISTRICT_EXTRA_HOLIDAY'],
    ['2025-10-03', true, 'DISTRICT_EXTRA_WORKING_DAY'], // beats the statutory holiday
    ['2025-10-04', false, 'STATUTORY_HOLIDAY'], // a Saturday in 国庆节: the holiday beats the weekly pattern
    ['2025-09-28', false, 'DISTRICT_EXTRA_HOLIDAY'], // beats the national make-up day
    ['2025-10-11', true, 'MAKE_UP_WORKING_DAY'],
  ])('%s: working %s (%s)', (date, working, reason) => {
    expect(a.dayInfo(date)).toMatchObject({ working, reason });
  });

  it('keeps calendars per district and reports what is loaded', () => {
    expect(set.forDistrict('A')).toBe(a);
    expect(set.forDistrict('A').district).toBe('A');
    expect(set.national().district).toBeUndefined();
    expect(set.overriddenDistricts).toEqual(['A']);
  });

  it('refuses two overrides for one district, two files for one year, and no national file', () => {
    expect(() => buildCalendarSet(NATIONAL, [{ district: 'A' }, { district: 'A' }])).toThrow(/overrides\[1\] at district: A has two overrides/);
    expect(() => buildCalendarSet([...NATIONAL, { origin: 'again.json', content: cn2025 }])).toThrow(/again\.json at year: 2025 is given twice/);
    expect(() => buildCalendarSet([])).toThrow(expect.objectContaining({ code: CalendarErrorCode.INVALID_CALENDAR_FILE }));
  });
});

describe('WorkingCalendar arguments and units', () => {
  const cn = buildCalendarSet(NATIONAL).national();

  it.each([
    ['a negative count', () => cn.addWorkingDays(at('2025-03-03T10:00'), -1), 'n'],
    ['a fractional count', () => cn.addWorkingDays(at('2025-03-03T10:00'), 1.5), 'n'],
    ['NaN', () => cn.extendByPausedWorkingDays(at('2025-03-03T10:00'), Number.NaN), 'paused'],
    ['an invalid Date', () => cn.addWorkingDays(new Date('nope'), 1), 'from'],
    ['a malformed date string', () => cn.isWorkingDay('2025/03/03'), 'date'],
    ['a non-existent date', () => cn.isWorkingDay('2025-02-29'), 'date'],
    ['an unknown unit', () => cn.addLimit(at('2025-03-03T10:00'), { value: 1, unit: 'WEEKS' as LimitUnit }), 'limit.unit'],
    ['a fractional limit', () => cn.addLimit(at('2025-03-03T10:00'), { value: 0.5, unit: 'HOURS' }), 'limit.value'],
    ['a limit beyond the Date range', () => cn.addLimit(at('2025-03-03T10:00'), { value: 2 ** 52, unit: 'HOURS' }), 'limit.value'],
  ])('refuses %s with INVALID_ARGUMENT naming the argument', (_what, fn, argument) => {
    expect(fn).toThrow(expect.objectContaining({ code: CalendarErrorCode.INVALID_ARGUMENT, detail: { argument } }));
  });

  it('n = 0 working days is the end of the starting day, even a holiday (即办件: the same day)', () => {
    expect(cn.addWorkingDays(at('2025-10-03T10:00'), 0)).toEqual(endOf('2025-10-03'));
    expect(cn.addLimit(at('2025-03-03T10:00'), { value: 0, unit: 'NATURAL_DAYS' })).toEqual(endOf('2025-03-03'));
  });

  it('the day of receipt never counts, even when it is a working day received at 00:00', () => {
    expect(cn.addWorkingDays(at('2025-03-03T00:00'), 1)).toEqual(endOf('2025-03-04'));
    expect(cn.addWorkingDays(at('2025-03-01T10:00'), 1)).toEqual(endOf('2025-03-03')); // received on a Saturday
  });

  it('workingDaysBetween counts (from day, to day] and is negative backwards', () => {
    expect(cn.workingDaysBetween(at('2025-03-03T23:00'), at('2025-03-04T01:00'))).toBe(1);
    expect(cn.workingDaysBetween(at('2025-03-03T01:00'), at('2025-03-03T23:00'))).toBe(0);
    expect(cn.workingDaysBetween(at('2025-03-10T10:00'), at('2025-03-03T10:00'))).toBe(-5);
  });

  it('extendByPausedWorkingDays keeps the time of day of an hour-based due', () => {
    expect(cn.extendByPausedWorkingDays(at('2025-09-30T15:00'), 1)).toEqual(at('2025-10-09T15:00'));
    expect(cn.extendByPausedWorkingDays(at('2025-10-05T15:00'), 1)).toEqual(at('2025-10-09T15:00')); // due fell in the holiday
    expect(cn.extendByPausedWorkingDays(at('2025-09-30T15:00'), 0)).toEqual(at('2025-09-30T15:00'));
  });

  it.each([
    ['2025-01-31T10:00', 1, '2025-02-28'],
    ['2025-03-31T10:00', 11, '2026-02-28'],
    ['2025-12-15T10:00', 2, '2026-02-15'], // a 春节 day: months do not roll over holidays
    ['2025-08-31T23:30', 1, '2025-09-30'],
    ['2025-08-31T16:30', 1, '2025-09-30'], // 16:30 +08:00 is still 08-31
  ])('MONTHS: %s + %i months = end of %s', (from, months, due) => {
    expect(cn.addLimit(at(from), { value: months, unit: 'MONTHS' })).toEqual(endOf(due));
  });

  it('NATURAL_DAYS counts holidays and ends at the end of the day; HOURS and MINUTES are exact', () => {
    expect(cn.addLimit(at('2025-09-30T10:00'), { value: 3, unit: 'NATURAL_DAYS' })).toEqual(endOf('2025-10-03'));
    expect(cn.addLimit(at('2025-09-30T22:15'), { value: 3, unit: 'HOURS' })).toEqual(at('2025-10-01T01:15'));
    expect(cn.addLimit(at('2025-09-30T23:50'), { value: 15, unit: 'MINUTES' })).toEqual(at('2025-10-01T00:05'));
  });
});
