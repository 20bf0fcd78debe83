/*
 * RFC 3339 date-times, the grammar of @tongban/envelope's validator (which does not export it),
 * parsed by hand: the verifier checks hundreds of thousands of these, and a regex with captures
 * plus a Date per call cost ten times as much.
 */
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The number written by `count` ASCII digits at `from`, or -1. */
function digits(text: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

function daysIn(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
}

/**
 * `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` with a real calendar date: `Date.parse` would roll
 * 02-30 over into March, and a logged time that means something else than it says is worse than
 * a refused one. Upper-case T and Z only: we produce them, and one spelling keeps leaves unique.
 */
export function isRfc3339(value: unknown): value is string {
  if (typeof value !== 'string' || value.length < 20) return false;
  if (value[4] !== '-' || value[7] !== '-' || value[10] !== 'T' || value[13] !== ':' || value[16] !== ':') return false;
  const year = digits(value, 0, 4);
  const month = digits(value, 5, 2);
  const day = digits(value, 8, 2);
  const hour = digits(value, 11, 2);
  const minute = digits(value, 14, 2);
  const second = digits(value, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return false;
  // Second 60 is a leap second, which RFC 3339 allows.
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) return false;
  let at = 19;
  if (value[at] === '.') {
    let end = at + 1;
    while (end < value.length && digits(value, end, 1) >= 0) end++;
    if (end - at - 1 < 1 || end - at - 1 > 9) return false;
    at = end;
  }
  const zone = value.length - at;
  if (zone === 1) return value[at] === 'Z';
  if (zone !== 6 || (value[at] !== '+' && value[at] !== '-') || value[at + 3] !== ':') return false;
  const offsetHours = digits(value, at + 1, 2);
  const offsetMinutes = digits(value, at + 4, 2);
  return offsetHours >= 0 && offsetHours <= 23 && offsetMinutes >= 0 && offsetMinutes <= 59;
}

/** RFC 3339 in UTC (`Z`): ledger times are the gateway clock, in one zone whatever the host says. */
export function isRfc3339Utc(value: unknown): value is string {
  return isRfc3339(value) && value.endsWith('Z');
}
