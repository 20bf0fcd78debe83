import { parseAlliance } from './alliance.parser';
import { ConfigError } from './config.error';
import demo from '../../../config/alliance/demo.json';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const dirs = { rootDir: '/srv/tongban', pkiDir: '/srv/tongban/var/pki' };

/** A fresh copy of the demo alliance to break one thing in. */
function alliance(mutate: (a: Json) => void = () => undefined): Json {
  const copy = structuredClone(demo) as Json;
  mutate(copy);
  return copy;
}

function failure(plain: unknown): ConfigError {
  try {
    parseAlliance(plain, dirs);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError, but the alliance parsed');
}

const agreementIndex = (id: string) => demo.agreements.findIndex((a) => a.id === id);

describe('parseAlliance', () => {
  it('resolves the demo alliance: item keys to items, pki: paths to absolute paths', () => {
    const a = parseAlliance(alliance(), dirs);
    expect(a.districts.map((d) => d.id)).toEqual(['HZ-ZHONGKAI', '440303', '440304', '440306', '440309', '440106', '370202', '370203', '370211']);
    const zhongkai = a.district('HZ-ZHONGKAI')!;
    expect(zhongkai.regionCode).toBeNull();
    expect(zhongkai.jwksPath).toBe('/srv/tongban/var/pki/districts/HZ-ZHONGKAI/signing.jwks.json');
    expect(zhongkai.push).toBeUndefined();
    expect(zhongkai.acceptsContracts).toMatchObject({ 'case-submission': ['1.0.0', '2.0.0'], 'case-acknowledgement': ['1.0.0'], termination: ['1.0.0'] });

    const luohu = a.agreements[agreementIndex('HZZK-440303')];
    expect(luohu.items.map((i) => i.name)).toEqual(['无犯罪记录证明开具', '在职人才引进', '内资有限责任公司设立登记']);
    expect(luohu.handoffLimits.dispatch).toEqual({ value: 1, unit: 'WORKING_DAYS' });
    const llc = luohu.items[2];
    expect(llc.key).toBe('llc-registration');
    expect(llc.itemType).toBe('01');
    expect(llc.materials.find((m) => m.tolerable)?.name).toBe('住所(经营场所)使用证明');
    // The same catalogue entry is one object wherever it is referenced.
    expect(a.agreements[agreementIndex('HZZK-440304')].items[2]).toBe(llc);
    expect(a.items.map((i) => i.key)).toEqual(Object.keys(demo.items));
  });

  it('resolves a plain jwks path against the root directory', () => {
    const a = parseAlliance(alliance((x) => (x.districts[1].jwks = 'keys/luohu.jwks.json')), dirs);
    expect(a.district('440303')!.jwksPath).toBe('/srv/tongban/keys/luohu.jwks.json');
  });

  it('accepts an inline item in an agreement and a push URL', () => {
    const a = parseAlliance(
      alliance((x) => {
        x.agreements[0].items.push({ ...structuredClone(demo.items['no-criminal-record']), key: 'luohu-special', basicCode: 'X-1', implementationCode: 'X-1-440303' });
        x.districts[1].push = { url: 'https://luohu.example.gov.cn/tongban/inbox' };
      }),
      dirs,
    );
    expect(a.agreements[0].items[3].key).toBe('luohu-special');
    expect(a.findAgreement('HZ-ZHONGKAI', '440303', 'X-1')?.item.key).toBe('luohu-special');
    expect(a.district('440303')!.push).toEqual({ url: 'https://luohu.example.gov.cn/tongban/inbox' });
  });

  it('returns a deeply frozen structure', () => {
    const a = parseAlliance(alliance(), dirs);
    expect(Object.isFrozen(a.agreements[0].items[0].materials[0])).toBe(true);
    expect(() => (a.districts as unknown[]).push({})).toThrow(TypeError);
  });

  describe('names the exact failing key', () => {
    it.each<[string, (a: Json) => void, string, RegExp]>([
      [
        'unknown district in an agreement',
        (a) => (a.agreements[2].approvingDistrict = '440399'),
        'alliance.agreements[2].approvingDistrict',
        /names no district/,
      ],
      ['agreement with itself', (a) => (a.agreements[1].approvingDistrict = 'HZ-ZHONGKAI'), 'alliance.agreements[1].approvingDistrict', /must differ/],
      ['bad USCC check character', (a) => (a.districts[3].serviceCentreUscc = '11440306TB0000079F'), 'alliance.districts[3].serviceCentreUscc', /GB 32100/],
      ['duplicate USCC', (a) => (a.districts[4].serviceCentreUscc = a.districts[3].serviceCentreUscc), 'alliance.districts[4].serviceCentreUscc', /duplicate/],
      ['duplicate district id', (a) => (a.districts[8].id = 'HZ-ZHONGKAI'), 'alliance.districts[8].id', /duplicate district id/],
      ['6-digit id that is not the region code', (a) => (a.districts[1].id = '440399'), 'alliance.districts[1].id', /must equal regionCode/],
      ['bad region code', (a) => (a.districts[1].regionCode = '4403'), 'alliance.districts[1].regionCode', /6-digit/],
      [
        'promised longer than statutory',
        (a) => (a.items['no-criminal-record'].promisedLimit = { value: 4, unit: 'WORKING_DAYS' }),
        'alliance.items.no-criminal-record.promisedLimit',
        /must not exceed statutoryLimit/,
      ],
      ['unknown item key', (a) => (a.agreements[3].items[1] = 'llc-registraton'), 'alliance.agreements[3].items[1]', /names no item/],
      [
        'bad unit in the catalogue',
        (a) => (a.items['talent-introduction'].statutoryLimit.unit = 'FORTNIGHTS'),
        'alliance.items.talent-introduction.statutoryLimit.unit',
        /WORKING_DAYS, NATURAL_DAYS, HOURS, MINUTES, MONTHS/,
      ],
      [
        'bad unit in an inline item',
        (a) => (a.agreements[2].items[0] = { ...structuredClone(a.items['llc-registration']), key: 'inline', promisedLimit: { value: 1, unit: 'WEEKS' } }),
        'alliance.agreements[2].items[0].promisedLimit.unit',
        /must be one of/,
      ],
      ['bad hand-off unit', (a) => (a.agreements[0].handoffLimits.mailOriginals.unit = 'days'), 'alliance.agreements[0].handoffLimits.mailOriginals.unit', /must be one of/],
      ['negative limit', (a) => (a.agreements[0].handoffLimits.dispatch.value = -1), 'alliance.agreements[0].handoffLimits.dispatch.value', /0 or more/],
      ['bad mode', (a) => (a.agreements[0].mode = 'JOINT'), 'alliance.agreements[0].mode', /REMOTE_COLLECTION, FULLY_ONLINE/],
      [
        'tolerable but optional material',
        (a) => (a.items['no-criminal-record'].materials[1].tolerable = true),
        'alliance.items.no-criminal-record.materials[1].tolerable',
        /only when mandatory/,
      ],
      ['duplicate material code', (a) => (a.items['talent-introduction'].materials[2].code = 'TI-01'), 'alliance.items.talent-introduction.materials[2].code', /duplicate/],
      ['misspelt key', (a) => (a.items['llc-registration'].promissedLimit = a.items['llc-registration'].promisedLimit), 'alliance.items.llc-registration.promissedLimit', /not a known setting/],
      ['missing key', (a) => delete a.districts[2].nameEn, 'alliance.districts[2].nameEn', /non-empty string/],
      ['http push URL', (a) => (a.districts[2].push = { url: 'http://futian.example/inbox' }), 'alliance.districts[2].push.url', /https/],
      ['bad contract version', (a) => (a.districts[0].acceptsContracts['case-submission'] = ['1.0']), 'alliance.districts[0].acceptsContracts.case-submission[0]', /MAJOR.MINOR.PATCH/],
      ['bad item key', (a) => (a.items['Bad Key'] = a.items['llc-registration']), 'alliance.items.Bad Key', /must match/],
      ['duplicate agreement id', (a) => (a.agreements[6].id = a.agreements[5].id), 'alliance.agreements[6].id', /duplicate agreement id/],
      [
        'two agreements covering the same hand-off',
        (a) => a.agreements.push({ ...structuredClone(a.agreements[0]), id: 'LUOHU-AGAIN', collectingDistrict: '440303', approvingDistrict: 'HZ-ZHONGKAI' }),
        `alliance.agreements[${demo.agreements.length}].items[0]`,
        /already covered by agreement HZZK-440303/,
      ],
      ['non-object district', (a) => (a.districts[5] = '440106'), 'alliance.districts[5]', /must be an object/],
    ])('%s', (_what, mutate, key, message) => {
      const error = failure(alliance(mutate));
      expect(error.key).toBe(key);
      expect(error.message).toMatch(message);
      expect(error.message.startsWith(`Invalid configuration at ${key}: `)).toBe(true);
    });

    it('rejects a file that is not an object', () => {
      expect(failure([]).key).toBe('alliance');
    });
  });
});
