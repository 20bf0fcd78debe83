import type { Alliance } from '@tongban/config';
import type { WorkingCalendars } from './calendars.port';

/** The validated configuration the exchange rules need; provided once at boot. */
export abstract class ExchangePolicy {
  abstract readonly alliance: Alliance;
  abstract readonly maxMessageBytes: number;
  abstract readonly sentAtPastSeconds: number;
  abstract readonly sentAtFutureSeconds: number;
  abstract readonly calendars: WorkingCalendars;
}
