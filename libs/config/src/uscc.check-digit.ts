/**
 * GB 32100-2015 unified social credit code (统一社会信用代码): 18 characters from a 31-symbol
 * alphabet (digits and capitals without I, O, S, V, Z, which are too easily misread), the last one a
 * MOD 31 check character over the first 17.
 */
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
// Weight of position i is 3^i mod 31 (GB 32100-2015 §5.2, table of weighting factors).
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
// Positions 3–8 are the 6-digit administrative division code, so they are digits only.
const SHAPE = /^[0-9A-HJ-NP-RTUWXY]{2}[0-9]{6}[0-9A-HJ-NP-RTUWXY]{10}$/;

/** The check character for the first 17 characters, or undefined if they are not well-formed. */
export function usccCheckCharacter(first17: string): string | undefined {
  if (!SHAPE.test(`${first17}0`)) return undefined;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += ALPHABET.indexOf(first17[i]) * WEIGHTS[i];
  return ALPHABET[(31 - (sum % 31)) % 31];
}

/**
 * True when `code` is a well-formed USCC whose check character is right. Only the GB 32100 check is
 * applied, not the embedded GB 11714 organisation-code check: registries have issued real codes
 * that fail the latter, and rejecting a real service centre would be worse than missing a typo the
 * outer check already catches. Upper case only: the stored form must be canonical.
 */
export function isValidUscc(code: string): boolean {
  if (typeof code !== 'string' || !SHAPE.test(code)) return false;
  return usccCheckCharacter(code.slice(0, 17)) === code[17];
}
