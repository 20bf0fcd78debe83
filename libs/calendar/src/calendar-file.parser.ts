/**
 * Validation of the calendar files: every problem is reported with the file and the exact key
 * (`holidays[2].to`), so an operator fixes the data without reading code. Unknown keys are errors,
 * as everywhere in Tongban's configuration: a misspelt key must not be silently ignored.
 */
import { CalendarError, CalendarErrorCode } from './calendar.error';
import {
  STATUTORY_HOLIDAY_NAMES,
  type DistrictOverrideFile,
  type NationalCalendarFile,
} from './calendar-file.types';
import { formatDay, parseDay, partsOf, weekdayOf } from './local-date.codec';

/** A parsed national calendar: day numbers, with what each listed day is. */
export interface NationalCalendarData {
  readonly year: number;
  readonly file: NationalCalendarFile;
  /** Day → holiday name. */
  readonly holidays: ReadonlyMap<number, string>;
  /** Day → the holiday it pays for ('' when not said). */
  readonly makeUpWorkingDays: ReadonlyMap<number, string>;
}

export interface DistrictOverrideData {
  readonly district: string;
  readonly file: DistrictOverrideFile;
  readonly fromDay?: number;
  readonly workingWeekdays?: ReadonlySet<number>;
  readonly extraWorkingDays: ReadonlySet<number>;
  readonly extraHolidays: ReadonlySet<number>;
}

/** A district id as the alliance writes them: a region code (440303) or an upper-case name (HZ-ZHONGKAI). */
const DISTRICT_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
/** No notice has ever given more than 9 consecutive days; a longer range is a typo. */
const MAX_HOLIDAY_DAYS = 15;

class Checker {
  constructor(private readonly origin: string) {}

  fail(path: string, problem: string): never {
    throw new CalendarError(CalendarErrorCode.INVALID_CALENDAR_FILE, `Invalid calendar file ${this.origin} at ${path}: ${problem}`, {
      file: this.origin,
      path,
      problem,
    });
  }

  object(value: unknown, path: string, allowed: readonly string[], required: readonly string[]): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(path, 'must be an object');
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (!allowed.includes(key)) this.fail(join(path, key), `is not a known key (known: ${allowed.join(', ')})`);
    }
    for (const key of required) {
      if (record[key] === undefined) this.fail(join(path, key), 'is required');
    }
    return record;
  }

  array(value: unknown, path: string): readonly unknown[] {
    if (!Array.isArray(value)) this.fail(path, 'must be an array');
    return value;
  }

  text(value: unknown, path: string): string {
    if (typeof value !== 'string' || value.trim() === '') this.fail(path, 'must be a non-empty string');
    return value;
  }

  day(value: unknown, path: string): number {
    const day = parseDay(value);
    if (day === undefined) this.fail(path, `must be a real date written YYYY-MM-DD; got ${JSON.stringify(value)}`);
    return day;
  }

  holidayName(value: unknown, path: string): string {
    const name = this.text(value, path);
    for (const part of name.split('、')) {
      if (!(STATUTORY_HOLIDAY_NAMES as readonly string[]).includes(part)) {
        this.fail(path, `must be one of ${STATUTORY_HOLIDAY_NAMES.join(', ')}, or several joined by 、; got ${JSON.stringify(name)}`);
      }
    }
    return name;
  }
}

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

/**
 * Validates one national calendar (the parsed JSON of CN-<year>.json). `origin` names the file in
 * errors; `expectedYear`, when given (from the file name), must equal the `year` inside.
 */
export function parseNationalCalendar(json: unknown, origin: string, expectedYear?: number): NationalCalendarData {
  const c: Checker = new Checker(origin);
  const root = c.object(json, '', ['$comment', 'country', 'year', 'source', 'holidays', 'makeUpWorkingDays'], ['country', 'year', 'source', 'holidays', 'makeUpWorkingDays']);
  if (root.country !== 'CN') c.fail('country', `must be "CN"; got ${JSON.stringify(root.country)}`);
  const year = root.year;
  if (typeof year !== 'number' || !Number.isInteger(year) || year < 1970 || year > 9999) c.fail('year', 'must be a four-digit year');
  if (expectedYear !== undefined && year !== expectedYear) c.fail('year', `must be ${expectedYear}, the year in the file name; got ${year}`);

  const source = c.object(root.source, 'source', ['title', 'documentNumber', 'published', 'url'], ['title']);
  c.text(source.title, 'source.title');
  if (source.documentNumber !== undefined) c.text(source.documentNumber, 'source.documentNumber');
  if (source.published !== undefined) c.day(source.published, 'source.published');
  if (source.url !== undefined) c.text(source.url, 'source.url');
  if (source.documentNumber === undefined && source.published === undefined) {
    c.fail('source', 'must give documentNumber (发文字号) or published (the date of the notice), so the data can be traced');
  }

  // A notice covers its year, and may reach back into the December before it (元旦 on 12-30/12-31).
  const inScope = (day: number): boolean => {
    const [y, m] = partsOf(day);
    return y === year || (y === year - 1 && m === 12);
  };
  const scope = `must lie in ${year} (or in December ${year - 1} when the notice reaches back)`;

  const holidays = new Map<number, string>();
  const names = new Set<string>();
  c.array(root.holidays, 'holidays').forEach((entry, i) => {
    const path = join('holidays', i);
    const h = c.object(entry, path, ['name', 'from', 'to'], ['name', 'from', 'to']);
    const name = c.holidayName(h.name, join(path, 'name'));
    const from = c.day(h.from, join(path, 'from'));
    const to = c.day(h.to, join(path, 'to'));
    if (!inScope(from)) c.fail(join(path, 'from'), `${scope}; got ${formatDay(from)}`);
    if (!inScope(to)) c.fail(join(path, 'to'), `${scope}; got ${formatDay(to)}`);
    if (to < from) c.fail(join(path, 'to'), `must not be before from (${formatDay(from)}); got ${formatDay(to)}`);
    if (to - from + 1 > MAX_HOLIDAY_DAYS) c.fail(join(path, 'to'), `gives ${to - from + 1} consecutive days off, more than ${MAX_HOLIDAY_DAYS}: a typo?`);
    for (let day = from; day <= to; day++) {
      const other = holidays.get(day);
      if (other !== undefined) c.fail(path, `${formatDay(day)} is already a day off for ${other}`);
      holidays.set(day, name);
    }
    names.add(name);
    for (const part of name.split('、')) names.add(part);
  });

  const makeUpWorkingDays = new Map<number, string>();
  c.array(root.makeUpWorkingDays, 'makeUpWorkingDays').forEach((entry, i) => {
    const path = join('makeUpWorkingDays', i);
    const m = c.object(entry, path, ['date', 'for'], ['date']);
    const day = c.day(m.date, join(path, 'date'));
    if (!inScope(day)) c.fail(join(path, 'date'), `${scope}; got ${formatDay(day)}`);
    const weekday = weekdayOf(day);
    if (weekday !== 0 && weekday !== 6) c.fail(join(path, 'date'), `must be a Saturday or a Sunday (调休上班 turns a weekend day into a working day); ${formatDay(day)} is not`);
    if (holidays.has(day)) c.fail(join(path, 'date'), `${formatDay(day)} is also a day off for ${holidays.get(day)}`);
    if (makeUpWorkingDays.has(day)) c.fail(join(path, 'date'), `${formatDay(day)} is listed twice`);
    let paysFor = '';
    if (m.for !== undefined) {
      paysFor = c.text(m.for, join(path, 'for'));
      if (!names.has(paysFor)) c.fail(join(path, 'for'), `must name a holiday of this file (${[...names].join(', ')}); got ${JSON.stringify(paysFor)}`);
    }
    makeUpWorkingDays.set(day, paysFor);
  });

  return { year, file: json as NationalCalendarFile, holidays, makeUpWorkingDays };
}

/**
 * Validates one district override (the parsed JSON of overrides/<district>.json). `expectedDistrict`,
 * when given (from the file name), must equal the `district` inside.
 */
export function parseDistrictOverride(json: unknown, origin: string, expectedDistrict?: string): DistrictOverrideData {
  const c: Checker = new Checker(origin);
  const root = c.object(json, '', ['$comment', 'district', 'note', 'from', 'workingWeekdays', 'extraWorkingDays', 'extraHolidays'], ['district']);
  const district = c.text(root.district, 'district');
  if (!DISTRICT_PATTERN.test(district)) c.fail('district', `must be a district id of the alliance (letters, digits, - and _); got ${JSON.stringify(district)}`);
  if (expectedDistrict !== undefined && district !== expectedDistrict) {
    c.fail('district', `must be ${JSON.stringify(expectedDistrict)}, the file name; got ${JSON.stringify(district)}`);
  }
  if (root.note !== undefined) c.text(root.note, 'note');

  let workingWeekdays: Set<number> | undefined;
  if (root.workingWeekdays !== undefined) {
    workingWeekdays = new Set();
    c.array(root.workingWeekdays, 'workingWeekdays').forEach((w, i) => {
      if (typeof w !== 'number' || !Number.isInteger(w) || w < 0 || w > 6) c.fail(join('workingWeekdays', i), `must be an integer 0 (Sunday) to 6 (Saturday); got ${JSON.stringify(w)}`);
      if (workingWeekdays!.has(w)) c.fail(join('workingWeekdays', i), `${w} is listed twice`);
      workingWeekdays!.add(w);
    });
  }
  let fromDay: number | undefined;
  if (root.from !== undefined) {
    fromDay = c.day(root.from, 'from');
    if (workingWeekdays === undefined) c.fail('from', 'applies to workingWeekdays only: give workingWeekdays, or drop from');
  }

  const dates = (key: 'extraWorkingDays' | 'extraHolidays'): Set<number> => {
    const set = new Set<number>();
    if (root[key] === undefined) return set;
    c.array(root[key], key).forEach((d, i) => {
      const day = c.day(d, join(key, i));
      if (set.has(day)) c.fail(join(key, i), `${formatDay(day)} is listed twice`);
      set.add(day);
    });
    return set;
  };
  const extraWorkingDays = dates('extraWorkingDays');
  const extraHolidays = dates('extraHolidays');
  for (const day of extraWorkingDays) {
    if (extraHolidays.has(day)) c.fail('extraHolidays', `${formatDay(day)} is also in extraWorkingDays`);
  }
  return { district, file: json as DistrictOverrideFile, fromDay, workingWeekdays, extraWorkingDays, extraHolidays };
}
