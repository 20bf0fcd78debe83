/** Time and identity are ports so tests swap them instead of sleeping or matching random ids. */
export abstract class Clock {
  abstract now(): Date;
}
export abstract class IdGenerator {
  /** A time-ordered UUID (v7). */
  abstract next(): string;
}
export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}
