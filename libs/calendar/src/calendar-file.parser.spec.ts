import { CalendarError, CalendarErrorCode } from '@tongban/calendar';
import { parseDistrictOverride, parseNationalCalendar } from './calendar-file.parser';

const notice = (patch: Record<string, unknown> = {}): Record<string, unknown> => ({
  country: 'CN',
  year: 2027,
  source: { title: '国务院办公厅关于2027年部分节假日安排的通知', published: '2026-11-01' },
  holidays: [
    { name: '元旦', from: '2026-12-31', to: '2027-01-02' },
    { name: '春节', from: '2027-02-05', to: '2027-02-12' },
  ],
  makeUpWorkingDays: [{ date: '2027-02-13', for: '春节' }],
  ...patch,
});

/** The CalendarError thrown, for matching its path and message. */
function error(fn: () => unknown): CalendarError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CalendarError) return e;
    throw e;
  }
  throw new Error('did not throw');
}

describe('parseNationalCalendar', () => {
  it('reads a notice, including a 元旦 that reaches back into December', () => {
    const data = parseNationalCalendar(notice(), 'CN-2027.json', 2027);
    expect(data.year).toBe(2027);
    expect(data.holidays.size).toBe(3 + 8);
    expect(data.makeUpWorkingDays.size).toBe(1);
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    ['a year other than the file name', { year: 2028 }, 'year', 'must be 2027, the year in the file name'],
    ['an unknown key', { holiday: [] }, 'holiday', 'is not a known key'],
    ['a missing list', { makeUpWorkingDays: undefined }, 'makeUpWorkingDays', 'is required'],
    ['no trace of the notice', { source: { title: 't' } }, 'source', 'documentNumber (发文字号) or published'],
    ['an impossible date', { holidays: [{ name: '春节', from: '2027-02-29', to: '2027-03-01' }] }, 'holidays[0].from', 'must be a real date'],
    ['a date in another year', { holidays: [{ name: '国庆节', from: '2028-10-01', to: '2028-10-07' }] }, 'holidays[0].from', 'must lie in 2027'],
    ['a November date of the year before', { holidays: [{ name: '元旦', from: '2026-11-30', to: '2026-11-30' }] }, 'holidays[0].from', 'must lie in 2027'],
    ['a range backwards', { holidays: [{ name: '春节', from: '2027-02-12', to: '2027-02-05' }] }, 'holidays[0].to', 'must not be before from'],
    ['a range far too long', { holidays: [{ name: '春节', from: '2027-02-01', to: '2027-02-28' }] }, 'holidays[0].to', 'a typo?'],
    ['an unknown holiday', { holidays: [{ name: '圣诞节', from: '2027-12-25', to: '2027-12-25' }] }, 'holidays[0].name', 'must be one of 元旦, 春节'],
    ['overlapping holidays', { holidays: [{ name: '清明节', from: '2027-04-03', to: '2027-04-05' }, { name: '劳动节', from: '2027-04-05', to: '2027-04-06' }] }, 'holidays[1]', 'already a day off for 清明节'],
    ['a make-up day on a weekday', { makeUpWorkingDays: [{ date: '2027-02-15' }] }, 'makeUpWorkingDays[0].date', 'must be a Saturday or a Sunday'],
    ['a make-up day inside a holiday', { holidays: [{ name: '春节', from: '2027-02-06', to: '2027-02-14' }], makeUpWorkingDays: [{ date: '2027-02-13' }] }, 'makeUpWorkingDays[0].date', 'also a day off for 春节'],
    ['a make-up day for a holiday not in the file', { makeUpWorkingDays: [{ date: '2027-02-13', for: '国庆节' }] }, 'makeUpWorkingDays[0].for', 'must name a holiday of this file'],
    ['a make-up day twice', { makeUpWorkingDays: [{ date: '2027-02-13' }, { date: '2027-02-13' }] }, 'makeUpWorkingDays[1].date', 'listed twice'],
  ])('refuses %s, naming the key', (_what, patch, path, problem) => {
    const e = error(() => parseNationalCalendar(notice(patch), 'CN-2027.json', 2027));
    expect(e.code).toBe(CalendarErrorCode.INVALID_CALENDAR_FILE);
    expect(e.detail).toMatchObject({ file: 'CN-2027.json', path });
    expect(e.message).toContain(`Invalid calendar file CN-2027.json at ${path}: `);
    expect(e.message).toContain(problem);
  });

  it('accepts merged holidays joined by 、 and make-up days that name either part', () => {
    const data = parseNationalCalendar(
      notice({ holidays: [{ name: '国庆节、中秋节', from: '2027-10-01', to: '2027-10-08' }], makeUpWorkingDays: [{ date: '2027-09-26', for: '中秋节' }, { date: '2027-10-09', for: '国庆节、中秋节' }] }),
      'x',
    );
    expect(data.holidays.size).toBe(8);
    expect([...data.makeUpWorkingDays.values()]).toEqual(['中秋节', '国庆节、中秋节']);
  });
});

describe('parseDistrictOverride', () => {
  it('reads the 仲恺 shape', () => {
    const data = parseDistrictOverride({ district: 'HZ-ZHONGKAI', from: '2021-05-22', workingWeekdays: [1, 2, 3, 4, 5, 6] }, 'HZ-ZHONGKAI.json', 'HZ-ZHONGKAI');
    expect(data.workingWeekdays).toEqual(new Set([1, 2, 3, 4, 5, 6]));
    expect(data.extraWorkingDays.size).toBe(0);
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    ['a district other than the file name', { district: '440303' }, 'district', 'must be "HZ-ZHONGKAI", the file name'],
    ['an unknown key', { district: 'HZ-ZHONGKAI', workingDays: [6] }, 'workingDays', 'is not a known key'],
    ['a weekday out of range', { district: 'HZ-ZHONGKAI', workingWeekdays: [1, 7] }, 'workingWeekdays[1]', 'integer 0 (Sunday) to 6 (Saturday)'],
    ['a weekday twice', { district: 'HZ-ZHONGKAI', workingWeekdays: [6, 6] }, 'workingWeekdays[1]', 'listed twice'],
    ['from without a weekly pattern', { district: 'HZ-ZHONGKAI', from: '2021-05-22' }, 'from', 'applies to workingWeekdays only'],
    ['a bad extra date', { district: 'HZ-ZHONGKAI', extraHolidays: ['2025-6-1'] }, 'extraHolidays[0]', 'must be a real date'],
    ['a day both working and off', { district: 'HZ-ZHONGKAI', extraWorkingDays: ['2025-06-07'], extraHolidays: ['2025-06-07'] }, 'extraHolidays', '2025-06-07 is also in extraWorkingDays'],
  ])('refuses %s', (_what, json, path, problem) => {
    const e = error(() => parseDistrictOverride(json, 'HZ-ZHONGKAI.json', 'HZ-ZHONGKAI'));
    expect(e.detail).toMatchObject({ path });
    expect(e.message).toContain(problem);
  });
});
