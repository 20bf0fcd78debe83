/**
 * Shapes of the files in config/calendars/ (see libs/calendar/README.md). Dates are China Standard
 * Time local dates written 'YYYY-MM-DD'.
 */

/** The statutory holidays of 《全国年节及纪念日放假办法》 that the yearly notices arrange. */
export const STATUTORY_HOLIDAY_NAMES = ['元旦', '春节', '清明节', '劳动节', '端午节', '中秋节', '国庆节'] as const;
export type StatutoryHolidayName = (typeof STATUTORY_HOLIDAY_NAMES)[number];

/** A 'YYYY-MM-DD' local date (+08:00). */
export type LocalDateString = string;

/** `config/calendars/CN-<year>.json`: one State Council notice (国务院办公厅关于<year>年部分节假日安排的通知). */
export interface NationalCalendarFile {
  readonly country: 'CN';
  readonly year: number;
  readonly source: {
    readonly title: string;
    /** 发文字号, e.g. 国办发明电〔2024〕12号. At least one of documentNumber and published is given. */
    readonly documentNumber?: string;
    /** Publication date of the notice. */
    readonly published?: LocalDateString;
    readonly url?: string;
  };
  /**
   * Consecutive days off, inclusive ranges. `name` is one statutory holiday, or several joined by
   * 、 when the notice merges them (2025: 国庆节、中秋节). Dates lie in `year`, or in December of the
   * year before when a notice reaches back (the 2024 notice started 元旦 on 2023-12-30).
   */
  readonly holidays: readonly { readonly name: string; readonly from: LocalDateString; readonly to: LocalDateString }[];
  /** 调休上班: Saturdays and Sundays that are working days; `for` names the holiday they pay for. */
  readonly makeUpWorkingDays: readonly { readonly date: LocalDateString; readonly for?: string }[];
}

/**
 * `config/calendars/overrides/<district>.json`: what one district's service centre does differently
 * from the national calendar. Precedence, most specific first: extraHolidays, extraWorkingDays,
 * national statutory holidays, national make-up working days, then the weekly pattern.
 */
export interface DistrictOverrideFile {
  /** The district id of the alliance (config/alliance/*.json), equal to the file's base name. */
  readonly district: string;
  /** Why, and on what authority: free text for the operator. */
  readonly note?: string;
  /** First day on which `workingWeekdays` applies (before it: Monday to Friday). Needs workingWeekdays. */
  readonly from?: LocalDateString;
  /** Weekdays that are working days unless a holiday: 0 = Sunday … 6 = Saturday. Default [1,2,3,4,5]. */
  readonly workingWeekdays?: readonly number[];
  /** Dates that are working days in this district whatever else the calendar says. */
  readonly extraWorkingDays?: readonly LocalDateString[];
  /** Dates that are not working days in this district whatever else the calendar says. */
  readonly extraHolidays?: readonly LocalDateString[];
}
