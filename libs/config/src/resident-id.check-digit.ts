/**
 * GB 11643-1999 citizen identity number (公民身份号码): 6-digit region code, 8-digit birth date,
 * 3-digit sequence, and an ISO 7064 MOD 11-2 check character (0–9 or X).
 */
// Weight of position i is 2^(17-i) mod 11.
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';
const SHAPE = /^[0-9]{17}[0-9X]$/;

/** The check character for the first 17 digits, or undefined if they are not 17 digits. */
export function residentIdCheckCharacter(first17: string): string | undefined {
  if (!/^[0-9]{17}$/.test(first17)) return undefined;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK[sum % 11];
}

/**
 * True when `id` is an 18-character resident ID with a real calendar birth date and the right check
 * character. Upper-case X only: callers normalise input once, so one person has one stored spelling.
 */
export function isValidResidentId(id: string): boolean {
  if (typeof id !== 'string' || !SHAPE.test(id)) return false;
  if (!isCalendarDate(id.slice(6, 14))) return false;
  return residentIdCheckCharacter(id.slice(0, 17)) === id[17];
}

function isCalendarDate(yyyymmdd: string): boolean {
  const year = Number(yyyymmdd.slice(0, 4));
  const month = Number(yyyymmdd.slice(4, 6));
  const day = Number(yyyymmdd.slice(6, 8));
  // Earliest plausible holder; the upper bound is left to callers that know "today".
  if (year < 1850) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
