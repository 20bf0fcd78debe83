// Same grammar as @tongban/envelope's validator, which does not export it.
const RFC3339_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(Z|[+-](\d{2}):(\d{2}))$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
}

/**
 * RFC 3339 date-time with an explicit offset and a real calendar date: `Date.parse` would roll
 * 02-30 over into March, and a logged time that means something else than it says is worse than
 * a refused one. Upper-case T and Z only: we produce them, and one spelling keeps leaves unique.
 * (Arithmetic instead of a Date per call: the verifier checks hundreds of thousands of these.)
 */
export function isRfc3339(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = RFC3339_RE.exec(value);
  if (!m) return false;
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(Number(m[1]), month)) return false;
  // Second 60 is a leap second, which RFC 3339 allows.
  if (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 60) return false;
  return m[8] === undefined || (Number(m[8]) <= 23 && Number(m[9]) <= 59);
}

/** RFC 3339 in UTC (`Z`): ledger times are the gateway clock, in one zone whatever the host says. */
export function isRfc3339Utc(value: unknown): value is string {
  return isRfc3339(value) && value.endsWith('Z');
}
