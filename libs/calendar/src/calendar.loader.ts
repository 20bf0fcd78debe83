/**
 * Reads a calendars directory (config/calendars/ in the repository):
 *   <dir>/CN-<year>.json                national calendar of one year (one State Council notice)
 *   <dir>/overrides/<district>.json     optional, one per district that differs
 * Other files (README.md, …) are ignored; any other *.json is an error, so a misnamed year file
 * (cn-2027.json, CN-2027.JSON.json) cannot be silently skipped.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CalendarError, CalendarErrorCode } from './calendar.error';
import { parseDistrictOverride, parseNationalCalendar } from './calendar-file.parser';
import { buildCalendarSet, type CalendarSet } from './calendar.set';

const NATIONAL_FILE = /^CN-(\d{4})\.json$/;
const OVERRIDES_DIR = 'overrides';

export function loadCalendars(dir: string): CalendarSet {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new CalendarError(CalendarErrorCode.INVALID_CALENDAR_FILE, `Calendars directory ${dir} does not exist`, { file: dir });
  }
  const national = jsonFiles(dir).map((name) => {
    const file = join(dir, name);
    const m = NATIONAL_FILE.exec(name);
    if (!m) {
      throw new CalendarError(CalendarErrorCode.INVALID_CALENDAR_FILE, `Unexpected file ${file}: national calendars are named CN-<year>.json, district overrides go in ${OVERRIDES_DIR}/`, { file });
    }
    const content = parseNationalCalendar(readJson(file), file, Number(m[1])).file;
    return { origin: file, content };
  });
  const overridesDir = join(dir, OVERRIDES_DIR);
  const overrides = existsSync(overridesDir)
    ? jsonFiles(overridesDir).map((name) => {
        const file = join(overridesDir, name);
        const content = parseDistrictOverride(readJson(file), file, name.slice(0, -'.json'.length)).file;
        return { origin: file, content };
      })
    : [];
  if (national.length === 0) {
    throw new CalendarError(CalendarErrorCode.INVALID_CALENDAR_FILE, `No national calendar in ${dir}: expected CN-<year>.json files`, { file: dir });
  }
  return buildCalendarSet(national, overrides);
}

function jsonFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.json'))
    .map((e) => e.name)
    .sort();
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new CalendarError(CalendarErrorCode.INVALID_CALENDAR_FILE, `Cannot read ${file}: ${(e as Error).message}`, { file });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new CalendarError(CalendarErrorCode.INVALID_CALENDAR_FILE, `Invalid calendar file ${file}: not JSON (${(e as Error).message})`, { file });
  }
}
