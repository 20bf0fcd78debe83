/**
 * Stable codes, mapped by callers with an exhaustive switch; never renamed once shipped.
 * CALENDAR_NOT_AVAILABLE is an *operational* condition (next year's notice not loaded yet), the
 * two others are programming or configuration errors that stop boot or fail a test.
 */
export enum CalendarErrorCode {
  /**
   * A computation touched a day of a year for which no national calendar is loaded
   * (detail.year names it, detail.district the calendar asked). Never answered with a
   * weekends-only guess: add config/calendars/CN-<year>.json.
   */
  CALENDAR_NOT_AVAILABLE = 'CALENDAR_NOT_AVAILABLE',
  /** A calendar or override file is unreadable, not JSON, or not of the documented shape (detail.file, detail.path). */
  INVALID_CALENDAR_FILE = 'INVALID_CALENDAR_FILE',
  /** An argument is unusable: an invalid Date, a malformed 'YYYY-MM-DD', a negative or fractional count, an unknown unit. */
  INVALID_ARGUMENT = 'INVALID_ARGUMENT',
}

export class CalendarError extends Error {
  constructor(
    readonly code: CalendarErrorCode,
    message: string,
    readonly detail?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'CalendarError';
  }
}
