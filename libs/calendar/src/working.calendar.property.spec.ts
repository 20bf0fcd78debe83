// Property-based tests (fast-check) of the deadline arithmetic over the real 2025/2026 data, the
// 仲恺 override and random district overrides. Starting instants are drawn up to 2026-08-31 and
// counts kept at 60 working days or fewer, so no deadline runs past the loaded years.
import { resolve } from 'node:path';
import fc from 'fast-check';
import {
  buildCalendarSet,
  endOfLocalDay,
  loadCalendars,
  localDateOf,
  startOfLocalDay,
  type DistrictOverrideFile,
  type WorkingCalendar,
} from '@tongban/calendar';
import cn2025 from '../../../config/calendars/CN-2025.json';
import cn2026 from '../../../config/calendars/CN-2026.json';

const set = loadCalendars(resolve(__dirname, '../../../config/calendars'));
const NATIONAL = [
  { origin: 'CN-2025.json', content: cn2025 },
  { origin: 'CN-2026.json', content: cn2026 },
];

const MIN = new Date('2025-01-01T00:00:00.000+08:00');
const MAX = new Date('2026-08-31T23:59:59.999+08:00');
const DAY = 86_400_000;

const instant = fc.date({ min: MIN, max: MAX, noInvalidDate: true });
/** [name, calendar], printed by its name in counterexamples. */
const named = (name: string, cal: WorkingCalendar): [string, WorkingCalendar] => Object.assign([name, cal] as [string, WorkingCalendar], { [fc.toStringMethod]: () => JSON.stringify(name) });
const calendar = fc.constantFrom(named('national', set.national()), named('HZ-ZHONGKAI', set.forDistrict('HZ-ZHONGKAI')), named('440303', set.forDistrict('440303')));
const count = fc.integer({ min: 0, max: 40 });
/** A local date of 2025–2026. */
const localDate = fc.integer({ min: 0, max: 729 }).map((i) => new Date(Date.UTC(2025, 0, 1 + i)).toISOString().slice(0, 10));

const isEndOfDay = (d: Date): boolean => endOfLocalDay(d).getTime() === d.getTime();
const run = <Ts extends unknown[]>(property: fc.IProperty<Ts>): void => fc.assert(property, { numRuns: 300 });

describe('addWorkingDays / workingDaysBetween (properties)', () => {
  it('n >= 1 lands at the end (23:59:59.999 +08:00) of a working day; n = 0 is the end of the starting day', () => {
    run(
      fc.property(calendar, instant, count, ([, cal], d, n) => {
        const due = cal.addWorkingDays(d, n);
        expect(isEndOfDay(due)).toBe(true);
        if (n === 0) expect(localDateOf(due)).toBe(localDateOf(d));
        else expect(cal.isWorkingDay(due)).toBe(true);
      }),
    );
  });

  it('workingDaysBetween(d, addWorkingDays(d, n)) === n', () => {
    run(fc.property(calendar, instant, count, ([, cal], d, n) => cal.workingDaysBetween(d, cal.addWorkingDays(d, n)) === n));
  });

  it('the due day is the earliest that works: up to the day before it, only n - 1 working days have passed', () => {
    run(
      fc.property(calendar, instant, fc.integer({ min: 1, max: 40 }), ([, cal], d, n) => {
        const due = cal.addWorkingDays(d, n);
        const dayBefore = new Date(startOfLocalDay(due).getTime() - 1);
        return cal.workingDaysBetween(d, dayBefore) === n - 1;
      }),
    );
  });

  it('is strictly increasing in n and non-decreasing in the starting instant', () => {
    run(
      fc.property(calendar, instant, instant, count, count, ([, cal], d1, d2, a, b) => {
        fc.pre(a !== b);
        const [lo, hi] = a < b ? [a, b] : [b, a];
        expect(cal.addWorkingDays(d1, lo).getTime()).toBeLessThan(cal.addWorkingDays(d1, hi).getTime());
        const [early, late] = d1 <= d2 ? [d1, d2] : [d2, d1];
        expect(cal.addWorkingDays(early, lo).getTime()).toBeLessThanOrEqual(cal.addWorkingDays(late, lo).getTime());
      }),
    );
  });

  it('composes exactly: addWorkingDays(addWorkingDays(d, a), b) === addWorkingDays(d, a + b) for all a, b >= 0', () => {
    const half = fc.integer({ min: 0, max: 20 });
    run(fc.property(calendar, instant, half, half, ([, cal], d, a, b) => cal.addWorkingDays(cal.addWorkingDays(d, a), b).getTime() === cal.addWorkingDays(d, a + b).getTime()));
  });

  it('ignores the time of day: only the +08:00 local day of the start matters', () => {
    run(fc.property(calendar, instant, count, ([, cal], d, n) => cal.addWorkingDays(d, n).getTime() === cal.addWorkingDays(startOfLocalDay(d), n).getTime()));
  });

  it('workingDaysBetween is additive and antisymmetric', () => {
    run(
      fc.property(calendar, instant, instant, instant, ([, cal], a, b, c) => {
        expect(cal.workingDaysBetween(a, b) + cal.workingDaysBetween(b, c)).toBe(cal.workingDaysBetween(a, c));
        expect(cal.workingDaysBetween(b, a)).toBe(-cal.workingDaysBetween(a, b) || 0); // never -0
        expect(cal.workingDaysBetween(a, a)).toBe(0);
      }),
    );
  });

  it('isWorkingDay(instant) === isWorkingDay(its +08:00 date)', () => {
    run(fc.property(calendar, instant, ([, cal], d) => cal.isWorkingDay(d) === cal.isWorkingDay(localDateOf(d))));
  });
});

describe('extendByPausedWorkingDays (properties)', () => {
  it('extending a computed deadline by k equals computing it with n + k: extend(add(d, n), k) === add(d, n + k)', () => {
    run(fc.property(calendar, instant, count, fc.integer({ min: 0, max: 20 }), ([, cal], d, n, k) => cal.extendByPausedWorkingDays(cal.addWorkingDays(d, n), k).getTime() === cal.addWorkingDays(d, n + k).getTime()));
  });

  it('on an end-of-day due it is addWorkingDays(due, k)', () => {
    run(
      fc.property(calendar, instant, fc.integer({ min: 0, max: 20 }), ([, cal], d, k) => {
        const due = endOfLocalDay(d);
        return cal.extendByPausedWorkingDays(due, k).getTime() === cal.addWorkingDays(due, k).getTime();
      }),
    );
  });

  it('on any due instant: keeps the time of day, lands on a working day k working days later (k >= 1)', () => {
    run(
      fc.property(calendar, instant, fc.integer({ min: 1, max: 20 }), ([, cal], due, k) => {
        const extended = cal.extendByPausedWorkingDays(due, k);
        expect((extended.getTime() - startOfLocalDay(extended).getTime()) % DAY).toBe(due.getTime() - startOfLocalDay(due).getTime());
        expect(cal.isWorkingDay(extended)).toBe(true);
        expect(cal.workingDaysBetween(due, extended)).toBe(k);
      }),
    );
  });

  it('pausing 0 working days changes nothing', () => {
    run(fc.property(calendar, instant, ([, cal], due) => cal.extendByPausedWorkingDays(due, 0).getTime() === due.getTime()));
  });
});

describe('district overrides (properties)', () => {
  const override = fc.record(
    {
      extraWorkingDays: fc.uniqueArray(localDate, { maxLength: 30 }),
      saturdaysFrom: fc.option(localDate, { nil: undefined }),
    },
    { requiredKeys: [] },
  );
  const withOverride = (o: { extraWorkingDays?: string[]; saturdaysFrom?: string }, extraHolidays?: string[]): WorkingCalendar => {
    const file: DistrictOverrideFile = {
      district: 'X',
      ...(o.extraWorkingDays ? { extraWorkingDays: o.extraWorkingDays } : {}),
      ...(o.saturdaysFrom ? { from: o.saturdaysFrom, workingWeekdays: [1, 2, 3, 4, 5, 6] } : {}),
      ...(extraHolidays ? { extraHolidays } : {}),
    };
    return buildCalendarSet(NATIONAL, [file]).forDistrict('X');
  };

  it('an override that only adds working days never makes a deadline later, nor counts fewer working days', () => {
    run(
      fc.property(override, instant, instant, count, (o, d, to, n) => {
        const base = set.national();
        const more = withOverride(o);
        expect(more.addWorkingDays(d, n).getTime()).toBeLessThanOrEqual(base.addWorkingDays(d, n).getTime());
        if (d <= to) expect(more.workingDaysBetween(d, to)).toBeGreaterThanOrEqual(base.workingDaysBetween(d, to));
      }),
    );
  });

  it('an override that only adds days off never makes a deadline earlier', () => {
    run(
      fc.property(fc.uniqueArray(localDate, { maxLength: 30 }), instant, fc.integer({ min: 0, max: 25 }), (holidays, d, n) => {
        const fewer = withOverride({}, holidays);
        return fewer.addWorkingDays(d, n).getTime() >= set.national().addWorkingDays(d, n).getTime();
      }),
    );
  });

  it('a district with no override file has the national calendar', () => {
    run(fc.property(localDate, (date) => set.forDistrict('440304').dayInfo(date).working === set.national().dayInfo(date).working));
  });
});

describe('addLimit (properties)', () => {
  const localDay = (d: Date): number => Date.parse(`${localDateOf(d)}T00:00:00Z`) / DAY;

  it('WORKING_DAYS is addWorkingDays', () => {
    run(fc.property(calendar, instant, count, ([, cal], d, n) => cal.addLimit(d, { value: n, unit: 'WORKING_DAYS' }).getTime() === cal.addWorkingDays(d, n).getTime()));
  });

  it('NATURAL_DAYS: the end of the n-th calendar day after the start day, holidays included', () => {
    run(
      fc.property(calendar, instant, fc.integer({ min: 0, max: 400 }), ([, cal], d, n) => {
        const due = cal.addLimit(d, { value: n, unit: 'NATURAL_DAYS' });
        expect(isEndOfDay(due)).toBe(true);
        expect(localDay(due) - localDay(d)).toBe(n);
      }),
    );
  });

  it('HOURS and MINUTES: the exact instant', () => {
    run(
      fc.property(calendar, instant, fc.integer({ min: 0, max: 10_000 }), ([, cal], d, n) => {
        expect(cal.addLimit(d, { value: n, unit: 'HOURS' }).getTime() - d.getTime()).toBe(n * 3_600_000);
        expect(cal.addLimit(d, { value: n, unit: 'MINUTES' }).getTime() - d.getTime()).toBe(n * 60_000);
      }),
    );
  });

  it('MONTHS: end of the same day of the month n months on, clamped to the last day of a shorter month', () => {
    run(
      fc.property(calendar, instant, fc.integer({ min: 0, max: 36 }), ([, cal], d, n) => {
        const due = cal.addLimit(d, { value: n, unit: 'MONTHS' });
        expect(isEndOfDay(due)).toBe(true);
        const [y, m, day] = localDateOf(d).split('-').map(Number);
        const [dy, dm, dd] = localDateOf(due).split('-').map(Number);
        expect(dy * 12 + dm - (y * 12 + m)).toBe(n);
        const last = new Date(Date.UTC(dy, dm, 0)).getUTCDate();
        expect(dd).toBe(Math.min(day, last));
      }),
    );
  });
});
