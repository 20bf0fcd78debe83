import { isValidUscc, usccCheckCharacter } from './uscc.check-digit';
import demo from '../../../config/alliance/demo.json';

describe('isValidUscc (GB 32100-2015)', () => {
  it('accepts the commonly cited public example', () => {
    // Worked by hand: weighted sum of 91350100M000100Y4 is 1640; 1640 mod 31 = 28; 31 - 28 = 3.
    expect(usccCheckCharacter('91350100M000100Y4')).toBe('3');
    expect(isValidUscc('91350100M000100Y43')).toBe(true);
  });

  it('handles the wrap-around (sum ≡ 0 mod 31 gives check 0) and letter check characters', () => {
    // Computed independently (a throwaway script, not this module) before writing the test.
    expect(isValidUscc('9144030000000000G0')).toBe(true);
    expect(isValidUscc('91440300MA5ABCDE1H')).toBe(true);
    expect(isValidUscc('12100000400000624D')).toBe(true);
    expect(isValidUscc('52110000MJ00000016')).toBe(true);
  });

  it('accepts every demo service centre code', () => {
    for (const d of demo.districts) expect(isValidUscc(d.serviceCentreUscc)).toBe(true);
  });

  it.each([
    ['91350100M000100Y44', 'wrong check character'],
    ['91350100M000100Y4', 'too short'],
    ['91350100M000100Y433', 'too long'],
    ['91350100m000100Y43', 'lower case'],
    ['91350100O000100Y43', 'O is not in the alphabet'],
    ['913501A0M000100Y43', 'letter inside the region code'],
    ['91350100M000100Y4I', 'I is not in the alphabet'],
    ['', 'empty'],
  ])('rejects %s (%s)', (code) => {
    expect(isValidUscc(code)).toBe(false);
  });

  it('catches every single-character substitution of a valid code', () => {
    const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
    const valid = '91350100M000100Y43';
    for (let i = 9; i < 18; i++) {
      for (const c of alphabet) {
        if (c === valid[i]) continue;
        expect(isValidUscc(valid.slice(0, i) + c + valid.slice(i + 1))).toBe(false);
      }
    }
  });
});
