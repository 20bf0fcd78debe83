/**
 * The national calendars of all loaded years plus the district overrides, built from parsed file
 * contents (pure). loadCalendars() in calendar.loader.ts reads them from a directory.
 */
import { CalendarError, CalendarErrorCode } from './calendar.error';
import {
  parseDistrictOverride,
  parseNationalCalendar,
  type DistrictOverrideData,
  type NationalCalendarData,
} from './calendar-file.parser';
import type { DistrictOverrideFile, NationalCalendarFile } from './calendar-file.types';
import { formatDay } from './local-date.codec';
import { WorkingCalendar } from './working.calendar';

export interface CalendarSet {
  /** Years with a national calendar, ascending. Any other year is CALENDAR_NOT_AVAILABLE. */
  readonly years: readonly number[];
  /** Districts that have an override file, sorted. */
  readonly overriddenDistricts: readonly string[];
  /** Where each year's data comes from (the notice), for display and audits. */
  readonly sources: ReadonlyMap<number, NationalCalendarFile['source']>;
  /** The national calendar alone (no district override). */
  national(): WorkingCalendar;
  /**
   * The calendar of a district: national + its override. A district without an override file
   * gets the national calendar (most do); the id is not checked against the alliance here.
   */
  forDistrict(districtId: string): WorkingCalendar;
}

/** A file's content with the name it was read from, for error messages. */
export interface Named<T> {
  readonly origin: string;
  readonly content: T | unknown; // unknown: validated by the parsers whatever its static type
}

/**
 * Builds the set from file contents (validated here, so hand-written objects in tests go through
 * the same checks as files). Several notices may list the same day only if they agree; each
 * district may have one override.
 */
export function buildCalendarSet(
  national: readonly (NationalCalendarFile | Named<NationalCalendarFile>)[],
  overrides: readonly (DistrictOverrideFile | Named<DistrictOverrideFile>)[] = [],
): CalendarSet {
  const years = new Map<number, NationalCalendarData>();
  const holidays = new Map<number, string>();
  const makeUp = new Map<number, string>();
  national.forEach((entry, i) => {
    const { origin, content } = named(entry, `national[${i}]`);
    const data = parseNationalCalendar(content, origin);
    if (years.has(data.year)) fail(origin, 'year', `${data.year} is given twice`);
    years.set(data.year, data);
    for (const [day, name] of data.holidays) {
      if (makeUp.has(day)) fail(origin, 'holidays', `${formatDay(day)} is a make-up working day in another file`);
      const other = holidays.get(day);
      if (other !== undefined && other !== name) fail(origin, 'holidays', `${formatDay(day)} is a day off for ${other} in another file`);
      holidays.set(day, name);
    }
    for (const [day, paysFor] of data.makeUpWorkingDays) {
      if (holidays.has(day)) fail(origin, 'makeUpWorkingDays', `${formatDay(day)} is a holiday in another file`);
      makeUp.set(day, paysFor);
    }
  });
  if (years.size === 0) {
    throw new CalendarError(CalendarErrorCode.INVALID_CALENDAR_FILE, 'No national calendar given: at least one CN-<year>.json is needed', {});
  }

  const districts = new Map<string, DistrictOverrideData>();
  overrides.forEach((entry, i) => {
    const { origin, content } = named(entry, `overrides[${i}]`);
    const data = parseDistrictOverride(content, origin);
    if (districts.has(data.district)) fail(origin, 'district', `${data.district} has two overrides`);
    districts.set(data.district, data);
  });

  const yearSet: ReadonlySet<number> = new Set(years.keys());
  const nationalCalendar = new WorkingCalendar(undefined, yearSet, holidays, makeUp, undefined);
  const calendars = new Map<string, WorkingCalendar>();
  return {
    years: [...yearSet].sort((a, b) => a - b),
    overriddenDistricts: [...districts.keys()].sort(),
    sources: new Map([...years].sort(([a], [b]) => a - b).map(([year, data]) => [year, data.file.source])),
    national: () => nationalCalendar,
    forDistrict(districtId: string): WorkingCalendar {
      let calendar = calendars.get(districtId);
      if (!calendar) {
        calendar = new WorkingCalendar(districtId, yearSet, holidays, makeUp, districts.get(districtId));
        calendars.set(districtId, calendar);
      }
      return calendar;
    },
  };
}

function named<T>(entry: T | Named<T>, fallback: string): Named<T> {
  if (typeof entry === 'object' && entry !== null && 'origin' in entry && 'content' in entry) return entry as Named<T>;
  return { origin: fallback, content: entry };
}

function fail(origin: string, path: string, problem: string): never {
  throw new CalendarError(CalendarErrorCode.INVALID_CALENDAR_FILE, `Invalid calendar file ${origin} at ${path}: ${problem}`, { file: origin, path, problem });
}
