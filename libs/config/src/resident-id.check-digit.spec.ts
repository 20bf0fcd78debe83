import { isValidResidentId, residentIdCheckCharacter } from './resident-id.check-digit';

describe('isValidResidentId (GB 11643-1999)', () => {
  it("accepts the standard's own example, whose check character is X", () => {
    // Weighted sum of 11010519491231002 is 167; 167 mod 11 = 2 → 'X'.
    expect(residentIdCheckCharacter('11010519491231002')).toBe('X');
    expect(isValidResidentId('11010519491231002X')).toBe(true);
  });

  it.each(['440305199003071236', '370202198511120041', '110101198001010010'])('accepts %s (computed by hand)', (id) => {
    expect(isValidResidentId(id)).toBe(true);
  });

  it.each([
    ['11010519491231002x', 'lower-case x'],
    ['110105194912310021', 'wrong check digit'],
    ['440305199003071235', 'wrong check digit'],
    ['44030519900230123X', 'no 30 February (check digit aside)'],
    ['1101051949123100', 'too short'],
    ['11010519491231002XX', 'too long'],
    ['A10105194912310023', 'letter'],
  ])('rejects %s (%s)', (id) => {
    expect(isValidResidentId(id)).toBe(false);
  });

  it('rejects an impossible date even with a matching check digit', () => {
    const first17 = '44030519900230123';
    expect(isValidResidentId(first17 + residentIdCheckCharacter(first17))).toBe(false);
  });

  it('catches every single-digit substitution of a valid id', () => {
    const valid = '11010519491231002X';
    for (let i = 14; i < 18; i++) {
      for (const c of '0123456789X') {
        if (c === valid[i] || (i < 17 && c === 'X')) continue;
        expect(isValidResidentId(valid.slice(0, i) + c + valid.slice(i + 1))).toBe(false);
      }
    }
  });
});
