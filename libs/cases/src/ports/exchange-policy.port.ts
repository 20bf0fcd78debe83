import type { Alliance } from '@tongban/config';

/** The validated configuration the exchange rules need; provided once at boot. */
export abstract class ExchangePolicy {
  abstract readonly alliance: Alliance;
  abstract readonly maxMessageBytes: number;
  abstract readonly sentAtPastSeconds: number;
  abstract readonly sentAtFutureSeconds: number;
}
