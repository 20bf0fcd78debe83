// Public entry of @tongban/calendar: working-day calendars as data (config/calendars/) and the
// deadline arithmetic over them, in China Standard Time (+08:00). Conventions: README.md.
export { CalendarError, CalendarErrorCode } from './calendar.error';
export {
  STATUTORY_HOLIDAY_NAMES,
  type DistrictOverrideFile,
  type LocalDateString,
  type NationalCalendarFile,
  type StatutoryHolidayName,
} from './calendar-file.types';
export { loadCalendars } from './calendar.loader';
export { buildCalendarSet, type CalendarSet, type Named } from './calendar.set';
export {
  LIMIT_UNITS,
  WorkingCalendar,
  type DayInfo,
  type DayReason,
  type Limit,
  type LimitUnit,
} from './working.calendar';
export { CHINA_UTC_OFFSET_MINUTES, endOfLocalDay, localDateOf, startOfLocalDay } from './local-date.codec';
