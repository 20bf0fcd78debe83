/**
 * China Standard Time (UTC+08:00, no daylight saving since 1991) local dates. Internally a local
 * date is a *day number*: days since 1970-01-01 in that calendar, so date arithmetic is integer
 * arithmetic and never depends on the time zone of the machine running it.
 */
import { CalendarError, CalendarErrorCode } from './calendar.error';

const MS_PER_DAY = 86_400_000;
/** +08:00: every local date of this library is a date in China Standard Time. */
export const CHINA_UTC_OFFSET_MINUTES = 480;
const OFFSET_MS = CHINA_UTC_OFFSET_MINUTES * 60_000;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The local day (+08:00) of an instant given in epoch milliseconds. */
export function dayOfMs(ms: number): number {
  return Math.floor((ms + OFFSET_MS) / MS_PER_DAY);
}

/** 00:00:00.000 +08:00 of the day, as epoch milliseconds. */
export function startOfDayMs(day: number): number {
  return day * MS_PER_DAY - OFFSET_MS;
}

/** 23:59:59.999 +08:00 of the day, as epoch milliseconds. */
export function endOfDayMs(day: number): number {
  return startOfDayMs(day + 1) - 1;
}

export function formatDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

export function yearOf(day: number): number {
  return new Date(day * MS_PER_DAY).getUTCFullYear();
}

/** [year, month 1–12, day of month 1–31]. */
export function partsOf(day: number): [number, number, number] {
  const d = new Date(day * MS_PER_DAY);
  return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
}

/** Day number of a calendar date; `month` is 1–12 and may overflow (month 13 = January next year). */
export function dayFromParts(year: number, month: number, dayOfMonth: number): number {
  return Date.UTC(year, month - 1, dayOfMonth) / MS_PER_DAY;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The day of a strict 'YYYY-MM-DD' that names a real date, else undefined (2025-02-29 is not one). */
export function parseDay(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const m = DATE_PATTERN.exec(text);
  if (!m) return undefined;
  const day = dayFromParts(Number(m[1]), Number(m[2]), Number(m[3]));
  return formatDay(day) === text ? day : undefined;
}

/** Epoch milliseconds of a valid Date, else INVALID_ARGUMENT naming the argument. */
export function msOf(instant: Date, argument: string): number {
  const ms = instant instanceof Date ? instant.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) throw invalid(`${argument} must be a valid Date`, argument);
  return ms;
}

/** The local day of a 'YYYY-MM-DD' string or of an instant. */
export function dayOfInput(date: string | Date, argument: string): number {
  if (date instanceof Date) return dayOfMs(msOf(date, argument));
  const day = parseDay(date);
  if (day === undefined) throw invalid(`${argument} must be a Date or a real date written YYYY-MM-DD; got ${JSON.stringify(date)}`, argument);
  return day;
}

function invalid(message: string, argument: string): CalendarError {
  return new CalendarError(CalendarErrorCode.INVALID_ARGUMENT, message, { argument });
}

// Public helpers: the same conventions for callers that show or store due dates.

/** The China Standard Time date ('YYYY-MM-DD') of an instant. */
export function localDateOf(instant: Date): string {
  return formatDay(dayOfMs(msOf(instant, 'instant')));
}

/** 00:00:00.000 +08:00 of a local date (a 'YYYY-MM-DD' string, or the local date of an instant). */
export function startOfLocalDay(date: string | Date): Date {
  return new Date(startOfDayMs(dayOfInput(date, 'date')));
}

/** 23:59:59.999 +08:00 of a local date: the instant every day-based deadline of this library falls on. */
export function endOfLocalDay(date: string | Date): Date {
  return new Date(endOfDayMs(dayOfInput(date, 'date')));
}
