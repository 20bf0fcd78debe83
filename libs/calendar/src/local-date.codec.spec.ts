import { CHINA_UTC_OFFSET_MINUTES, endOfLocalDay, localDateOf, startOfLocalDay } from '@tongban/calendar';
import { dayFromParts, formatDay, parseDay, weekdayOf } from './local-date.codec';

describe('China Standard Time local dates', () => {
  it('is +08:00 with no daylight saving', () => {
    expect(CHINA_UTC_OFFSET_MINUTES).toBe(480);
    expect(localDateOf(new Date('2025-07-01T15:59:59.999Z'))).toBe('2025-07-01');
    expect(localDateOf(new Date('2025-07-01T16:00:00.000Z'))).toBe('2025-07-02');
    expect(localDateOf(new Date('2025-01-01T16:00:00.000Z'))).toBe('2025-01-02');
  });

  it('gives the start and end of a local day as instants', () => {
    expect(startOfLocalDay('2026-02-10').toISOString()).toBe('2026-02-09T16:00:00.000Z');
    expect(endOfLocalDay('2026-02-10').toISOString()).toBe('2026-02-10T15:59:59.999Z');
    expect(endOfLocalDay(new Date('2026-02-10T16:30:00Z')).toISOString()).toBe('2026-02-11T15:59:59.999Z');
  });

  it.each(['2025-02-29', '2025-13-01', '2025-1-01', '2025-01-01T00:00', ' 2025-01-01', '', 20250101, null])('refuses %p as a date', (text) => {
    expect(parseDay(text)).toBeUndefined();
  });

  it('parses real dates, leap days included, and knows the weekday', () => {
    expect(formatDay(parseDay('2024-02-29')!)).toBe('2024-02-29');
    expect(weekdayOf(parseDay('2026-01-04')!)).toBe(0); // Sunday
    expect(weekdayOf(parseDay('2026-02-14')!)).toBe(6); // Saturday
    expect(weekdayOf(parseDay('1969-12-31')!)).toBe(3); // negative day numbers too
    expect(formatDay(dayFromParts(2025, 14, 1))).toBe('2026-02-01'); // month overflow
  });

  it('refuses invalid instants with INVALID_ARGUMENT', () => {
    expect(() => localDateOf(new Date(Number.NaN))).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => endOfLocalDay('2025-02-30')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
