// Table tests on the real data in config/calendars/: the files say exactly what DOMAIN.md §5 lists
// (国办发明电〔2024〕12号 for 2025, the notice of 2025-11-04 for 2026), and the holiday seams give
// the deadlines a person counting on a wall calendar would get.
import { resolve } from 'node:path';
import { CalendarError, CalendarErrorCode, loadCalendars } from '@tongban/calendar';

const CALENDARS = resolve(__dirname, '../../../config/calendars');
const set = loadCalendars(CALENDARS);
const cn = set.national();
const zhongkai = set.forDistrict('HZ-ZHONGKAI');
const luohu = set.forDistrict('440303');

/** An instant at a +08:00 wall-clock time. */
const at = (local: string): Date => new Date(`${local}+08:00`);
/** The deadline instant convention: end of the local day. */
const endOf = (date: string): Date => at(`${date}T23:59:59.999`);

function range(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = new Date(`${from}T00:00:00Z`); d <= new Date(`${to}T00:00:00Z`); d.setUTCDate(d.getUTCDate() + 1)) out.push(d.toISOString().slice(0, 10));
  return out;
}

// DOMAIN.md §5, copied by hand: the data files must agree with it to the day.
const DOMAIN_HOLIDAYS: Record<number, [string, string][]> = {
  2025: [['2025-01-01', '2025-01-01'], ['2025-01-28', '2025-02-04'], ['2025-04-04', '2025-04-06'], ['2025-05-01', '2025-05-05'], ['2025-05-31', '2025-06-02'], ['2025-10-01', '2025-10-08']],
  2026: [['2026-01-01', '2026-01-03'], ['2026-02-15', '2026-02-23'], ['2026-04-04', '2026-04-06'], ['2026-05-01', '2026-05-05'], ['2026-06-19', '2026-06-21'], ['2026-09-25', '2026-09-27'], ['2026-10-01', '2026-10-07']],
};
const DOMAIN_MAKE_UP: Record<number, string[]> = {
  2025: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
  2026: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
};

describe('config/calendars: the national data', () => {
  it('covers 2025 and 2026, each traced to its notice, and only Zhongkai has an override', () => {
    expect(set.years).toEqual([2025, 2026]);
    expect(set.sources.get(2025)?.documentNumber).toBe('国办发明电〔2024〕12号');
    expect(set.sources.get(2026)?.published).toBe('2025-11-04');
    expect(set.overriddenDistricts).toEqual(['HZ-ZHONGKAI']);
  });

  it.each([2025, 2026])('%i: exactly the holidays and make-up working days of DOMAIN.md §5', (year) => {
    const holidays = new Set(DOMAIN_HOLIDAYS[year].flatMap(([a, b]) => range(a, b)));
    const makeUp = new Set(DOMAIN_MAKE_UP[year]);
    for (const date of range(`${year}-01-01`, `${year}-12-31`)) {
      const info = cn.dayInfo(date);
      const expected = holidays.has(date) ? 'STATUTORY_HOLIDAY' : makeUp.has(date) ? 'MAKE_UP_WORKING_DAY' : info.weekday === 0 || info.weekday === 6 ? 'WEEKEND' : 'WEEKDAY';
      expect({ date, reason: info.reason }).toEqual({ date, reason: expected });
      expect(info.working).toBe(expected === 'MAKE_UP_WORKING_DAY' || expected === 'WEEKDAY');
    }
  });

  it('has 248 working days in 2025 and 248 in 2026', () => {
    expect(cn.workingDaysBetween(at('2025-01-01T00:00'), at('2025-12-31T00:00'))).toBe(248); // 01-01 is 元旦 anyway
    expect(cn.workingDaysBetween(at('2025-12-31T12:00'), at('2026-12-31T12:00'))).toBe(248);
  });

  it.each([
    ['2025-09-28', true, 'MAKE_UP_WORKING_DAY', '国庆节、中秋节'], // Sunday
    ['2025-10-01', false, 'STATUTORY_HOLIDAY', '国庆节、中秋节'],
    ['2025-10-08', false, 'STATUTORY_HOLIDAY', '国庆节、中秋节'], // Wednesday
    ['2025-10-09', true, 'WEEKDAY', undefined],
    ['2025-10-11', true, 'MAKE_UP_WORKING_DAY', '国庆节、中秋节'], // Saturday
    ['2025-10-12', false, 'WEEKEND', undefined],
    ['2026-01-02', false, 'STATUTORY_HOLIDAY', '元旦'], // Friday
    ['2026-01-04', true, 'MAKE_UP_WORKING_DAY', '元旦'], // Sunday
    ['2026-02-14', true, 'MAKE_UP_WORKING_DAY', '春节'], // Saturday
    ['2026-02-23', false, 'STATUTORY_HOLIDAY', '春节'], // Monday
    ['2026-02-28', true, 'MAKE_UP_WORKING_DAY', '春节'], // Saturday
    ['2026-09-25', false, 'STATUTORY_HOLIDAY', '中秋节'],
  ])('%s: working %s (%s %s)', (date, working, reason, holiday) => {
    expect(cn.isWorkingDay(date)).toBe(working);
    expect(cn.dayInfo(date)).toEqual({ date, weekday: new Date(`${date}T00:00:00Z`).getUTCDay(), working, reason, ...(holiday ? { holiday } : {}) });
  });

  it('2025-10-01 … 10-08 are all days off', () => {
    expect(range('2025-10-01', '2025-10-08').filter((d) => cn.isWorkingDay(d))).toEqual([]);
  });
});

describe('deadlines on the holiday seams (national calendar)', () => {
  it.each([
    // from (local receipt day), n working days, due date (its end, 23:59:59.999 +08:00)
    ['2026-02-10', 20, '2026-03-16'], // 2/11 2/12 2/13 2/14(Sat, 调休) | 春节 2/15–2/23 | 2/24…2/27 2/28(Sat, 调休) 3/2 … 3/16
    ['2026-02-11', 20, '2026-03-17'],
    ['2025-04-30', 5, '2025-05-12'], // 劳动节 5/1–5/5: 5/6 5/7 5/8 5/9 5/12
    ['2025-04-25', 5, '2025-05-06'], // 4/27 (Sun, 调休) counts
    ['2025-01-24', 5, '2025-02-07'], // 1/26 (Sun) 1/27 | 春节 1/28–2/4 | 2/5 2/6 2/7 (2/8 would be the 6th)
    ['2025-09-26', 3, '2025-09-30'], // 9/28 (Sun) 9/29 9/30
    ['2025-09-26', 4, '2025-10-09'], // across 国庆节、中秋节 10/1–10/8
    ['2025-09-30', 1, '2025-10-09'],
    ['2025-12-29', 3, '2026-01-04'], // 12/30 12/31 | 元旦 1/1–1/3 | 1/4 (Sun, 调休): across the year files
    ['2026-09-24', 5, '2026-10-09'], // 中秋节 9/25–27, 9/28 9/29 9/30 | 国庆节 10/1–10/7 | 10/8 10/9
    ['2025-05-30', 3, '2025-06-05'], // 端午节 5/31–6/2
  ])('%s + %i working days = end of %s', (from, n, due) => {
    for (const time of ['00:00', '09:30', '23:59:59.999']) {
      expect(cn.addWorkingDays(at(`${from}T${time}`), n)).toEqual(endOf(due));
    }
    expect(cn.workingDaysBetween(at(`${from}T10:00`), endOf(due))).toBe(n);
    expect(cn.addLimit(at(`${from}T10:00`), { value: n, unit: 'WORKING_DAYS' })).toEqual(endOf(due));
  });

  it('counts from the +08:00 day of the instant, not the UTC day', () => {
    const lateUtc = new Date('2026-02-10T16:30:00Z'); // 2026-02-11 00:30 in China
    expect(cn.addWorkingDays(lateUtc, 20)).toEqual(endOf('2026-03-17'));
    expect(cn.addWorkingDays(lateUtc, 20).toISOString()).toBe('2026-03-17T15:59:59.999Z');
    expect(cn.isWorkingDay(new Date('2026-02-14T16:00:00Z'))).toBe(false); // 2/15 00:00 +08:00, 春节
    expect(cn.isWorkingDay(new Date('2026-02-14T15:59:59.999Z'))).toBe(true); // still Saturday 2/14, 调休
  });

  it('extends a due date by the paused working days across the holidays', () => {
    const due = cn.addWorkingDays(at('2025-09-22T10:00'), 4); // 9/23 9/24 9/25 9/26
    expect(due).toEqual(endOf('2025-09-26'));
    expect(cn.extendByPausedWorkingDays(due, 3)).toEqual(endOf('2025-09-30')); // 9/28 (Sun, 调休) 9/29 9/30
    expect(cn.extendByPausedWorkingDays(due, 4)).toEqual(endOf('2025-10-09'));
    // a suspension from 9/24 10:00 to 10/09 15:00 pauses 9/25 9/26 9/28 9/29 9/30 10/9 = 6 working days
    expect(cn.workingDaysBetween(at('2025-09-24T10:00'), at('2025-10-09T15:00'))).toBe(6);
  });
});

describe('district override: 仲恺 works Saturdays (since 2021-05-22)', () => {
  it.each([
    ['2025-03-01', true, false], // an ordinary Saturday
    ['2025-03-02', false, false], // Sunday
    ['2025-02-01', false, false], // Saturday in 春节
    ['2025-10-04', false, false], // Saturday in 国庆节
    ['2026-02-21', false, false], // Saturday in 春节
    ['2025-02-08', true, true], // make-up Saturday: working for everyone
    ['2025-09-28', true, true], // make-up Sunday
  ])('%s: 仲恺 working %s, 罗湖 working %s', (date, inZhongkai, inLuohu) => {
    expect(zhongkai.isWorkingDay(date)).toBe(inZhongkai);
    expect(luohu.isWorkingDay(date)).toBe(inLuohu);
  });

  it('explains the Saturday', () => {
    expect(zhongkai.dayInfo('2025-03-01')).toEqual({ date: '2025-03-01', weekday: 6, working: true, reason: 'DISTRICT_WORKING_WEEKDAY' });
    expect(luohu.dayInfo('2025-03-01')).toEqual({ date: '2025-03-01', weekday: 6, working: false, reason: 'WEEKEND' });
  });

  it.each([
    ['2025-02-27', 5, '2025-03-05', '2025-03-06'],
    ['2026-02-10', 20, '2026-03-13', '2026-03-16'], // Saturday 3/7 counts in 仲恺
    ['2025-04-30', 5, '2025-05-10', '2025-05-12'],
    ['2025-09-30', 1, '2025-10-09', '2025-10-09'], // 10/4 is 国庆节 even in 仲恺
  ])('%s + %i working days: 仲恺 %s, national %s', (from, n, zk, national) => {
    expect(zhongkai.addWorkingDays(at(`${from}T10:00`), n)).toEqual(endOf(zk));
    expect(luohu.addWorkingDays(at(`${from}T10:00`), n)).toEqual(endOf(national));
  });
});

describe('years without data', () => {
  const notAvailable = (fn: () => unknown, year: number): void => {
    let error: unknown;
    try {
      fn();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CalendarError);
    expect(error).toMatchObject({ code: CalendarErrorCode.CALENDAR_NOT_AVAILABLE, detail: { year } });
    expect((error as Error).message).toContain(`No working-day calendar for ${year}`);
    expect((error as Error).message).toContain(`CN-${year}.json`);
  };

  it('refuses 2024 and 2027 instead of guessing weekends, for every district', () => {
    notAvailable(() => cn.isWorkingDay('2024-12-31'), 2024);
    notAvailable(() => cn.isWorkingDay('2027-01-01'), 2027);
    notAvailable(() => zhongkai.isWorkingDay('2027-03-06'), 2027);
    notAvailable(() => cn.addWorkingDays(at('2024-12-31T10:00'), 1), 2024);
    notAvailable(() => cn.workingDaysBetween(at('2026-12-01T10:00'), at('2027-01-05T10:00')), 2027);
  });

  it('refuses a deadline that runs past 2026-12-31, naming 2027', () => {
    expect(cn.addWorkingDays(at('2026-12-20T10:00'), 9)).toEqual(endOf('2026-12-31')); // 12/21 … 12/25, 12/28 … 12/31
    notAvailable(() => cn.addWorkingDays(at('2026-12-20T10:00'), 10), 2027);
    notAvailable(() => zhongkai.addWorkingDays(at('2026-12-20T10:00'), 20), 2027);
    notAvailable(() => cn.extendByPausedWorkingDays(endOf('2026-12-30'), 2), 2027);
    notAvailable(() => cn.addLimit(at('2026-12-20T10:00'), { value: 20, unit: 'WORKING_DAYS' }), 2027);
  });

  it('units that do not consult the calendar still work (natural days, hours, months)', () => {
    expect(cn.addLimit(at('2026-12-20T10:00'), { value: 20, unit: 'NATURAL_DAYS' })).toEqual(endOf('2027-01-09'));
    expect(cn.addLimit(at('2026-12-31T20:00'), { value: 8, unit: 'HOURS' })).toEqual(at('2027-01-01T04:00'));
    expect(cn.addLimit(at('2026-12-31T20:00'), { value: 1, unit: 'MONTHS' })).toEqual(endOf('2027-01-31'));
  });
});
