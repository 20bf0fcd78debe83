import type { TimeLimit } from '@tongban/config';

/** One district's working-day calendar, as the deadline rules need it. */
export interface DistrictCalendar {
  addLimit(from: Date, limit: TimeLimit): Date;
  addWorkingDays(from: Date, days: number): Date;
  workingDaysBetween(from: Date, to: Date): number;
  extendByPausedWorkingDays(due: Date, paused: number): Date;
}

/** Working-day calendars per district (national calendar plus the district's override). */
export abstract class WorkingCalendars {
  abstract forDistrict(districtId: string): DistrictCalendar;
}
