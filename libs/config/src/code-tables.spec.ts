import { parseAlliance } from './alliance.parser';
import { parseCodeTables } from './code-tables';
import { ConfigError } from './config.error';
import demo from '../../../config/alliance/demo.json';

const dirs = { rootDir: '/srv/tongban', pkiDir: '/srv/tongban/var/pki' };
const LEVELS_GB = { '1': 'VERY_SATISFIED', '2': 'SATISFIED', '3': 'BASIC_SATISFIED', '4': 'DISSATISFIED', '5': 'VERY_DISSATISFIED' };

function failure(raw: unknown): ConfigError {
  try {
    parseCodeTables(raw, 'alliance.districts[6].codes');
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('partner code tables', () => {
  it('reads a table both ways and remembers where it is configured', () => {
    const tables = parseCodeTables({ satisfactionLevel: LEVELS_GB }, 'alliance.districts[8].codes');
    expect(tables.satisfactionLevel).toEqual({
      name: 'satisfactionLevel',
      configKey: 'alliance.districts[8].codes.satisfactionLevel',
      toCanonical: LEVELS_GB,
      toPartner: { VERY_SATISFIED: '1', SATISFIED: '2', BASIC_SATISFIED: '3', DISSATISFIED: '4', VERY_DISSATISFIED: '5' },
    });
    expect(tables.resultCode).toBeUndefined();
  });

  it('gives the demo Qingdao districts the two opposite satisfaction encodings of DOMAIN §6', () => {
    const a = parseAlliance(structuredClone(demo), dirs);
    expect(a.district('370202')!.codes.satisfactionLevel!.toCanonical['1']).toBe('VERY_DISSATISFIED'); // reporting interface
    expect(a.district('370211')!.codes.satisfactionLevel!.toCanonical['1']).toBe('VERY_SATISFIED'); // GB/T 39046
    expect(a.district('370202')!.codes.caseState!.toPartner.IN_REVIEW).toBe('30');
    expect(a.district('HZ-ZHONGKAI')!.codes).toEqual({});
  });

  it.each([
    [{ statusCode: {} }, 'alliance.districts[6].codes.statusCode', /not a code table; known tables: resultCode, satisfactionLevel, caseState/],
    [{ resultCode: ['APPROVED'] }, 'alliance.districts[6].codes.resultCode', /must be an object/],
    [{ satisfactionLevel: { ...LEVELS_GB, '5': 'FURIOUS' } }, 'alliance.districts[6].codes.satisfactionLevel.5', /must be one of VERY_SATISFIED/],
    [{ satisfactionLevel: { ...LEVELS_GB, '6': 'SATISFIED' } }, 'alliance.districts[6].codes.satisfactionLevel.6', /partner code "2" already maps to/],
    [{ resultCode: { '1': 'APPROVED', '2': 'DENIED' } }, 'alliance.districts[6].codes.resultCode', /no partner code for PARTIALLY_APPROVED, NOT_WITHIN_COMPETENCE/],
    ['GB', 'alliance.districts[6].codes', /must be an object/],
  ])('refuses %j, naming %s', (raw, key, problem) => {
    const error = failure(raw);
    expect(error.key).toBe(key);
    expect(error.message).toMatch(problem);
  });

  it('takes a __proto__ partner code as a code, not as a prototype', () => {
    const raw = JSON.parse(`{"satisfactionLevel": {"__proto__": "VERY_SATISFIED", "2": "SATISFIED", "3": "BASIC_SATISFIED", "4": "DISSATISFIED", "5": "VERY_DISSATISFIED"}}`);
    const table = parseCodeTables(raw, 'c').satisfactionLevel!;
    expect(Object.hasOwn(table.toCanonical, '__proto__')).toBe(true);
    expect(table.toPartner.VERY_SATISFIED).toBe('__proto__');
  });
});
