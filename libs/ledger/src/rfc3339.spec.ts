import { isRfc3339, isRfc3339Utc } from './rfc3339';

describe('RFC 3339 date-times', () => {
  it.each(['2026-03-02T01:15:00Z', '2026-03-02T01:15:00.123456789Z', '2024-02-29T23:59:60Z', '2000-02-29T00:00:00+08:00', '2026-12-31T00:00:00-05:30'])('accepts %s', (value) => {
    expect(isRfc3339(value)).toBe(true);
  });

  it.each([
    '2026-02-29T00:00:00Z', // not a leap year
    '1900-02-29T00:00:00Z', // century, not a leap year
    '2026-04-31T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-00-01T00:00:00Z',
    '2026-03-02T24:00:00Z',
    '2026-03-02T01:60:00Z',
    '2026-03-02T01:15:61Z',
    '2026-03-02T01:15:00+24:00',
    '2026-03-02t01:15:00z',
    '2026-03-02T01:15:00',
    '2026-03-02 01:15:00Z',
    '2026-03-02T01:15:00.Z',
  ])('refuses %s', (value) => {
    expect(isRfc3339(value)).toBe(false);
  });

  it('tells UTC from other offsets', () => {
    expect(isRfc3339Utc('2026-03-02T01:15:00Z')).toBe(true);
    expect(isRfc3339Utc('2026-03-02T09:15:00+08:00')).toBe(false);
    expect(isRfc3339Utc(20260302)).toBe(false);
  });
});
