import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { validatePayload } from '../validate';
import { ContractConversionError } from './contract-converter';
import { CONVERTERS, conversionTargets, findConverter } from './converters';

const CONTRACTS_DIR = resolve(__dirname, '../../../../contracts');

type Payload = Record<string, unknown> & { applicant: Record<string, unknown> };

function validExamples(id: string, version: string): Array<[string, Payload]> {
  const dir = join(CONTRACTS_DIR, id, version, 'examples/valid');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => [f, JSON.parse(readFileSync(join(dir, f), 'utf8')) as Payload]);
}

const byName = (id: string, version: string, file: string): Payload => Object.fromEntries(validExamples(id, version))[file];

describe('declared converters', () => {
  it('are case-submission 1.0.0 ⇄ 2.0.0, each with a reason', () => {
    expect(CONVERTERS.map((c) => `${c.contractId} ${c.from}→${c.to}`)).toEqual(['case-submission 1.0.0→2.0.0', 'case-submission 2.0.0→1.0.0']);
    for (const c of CONVERTERS) expect(c.reason.length).toBeGreaterThan(20);
    expect(Object.isFrozen(CONVERTERS)).toBe(true);
  });

  it('convert between versions the precompiled catalogue knows (no converter to a version that does not exist)', () => {
    for (const c of CONVERTERS) {
      expect(validatePayload(c.contractId, c.from, {})).not.toEqual([]); // throws for an unknown version
      expect(validatePayload(c.contractId, c.to, {})).not.toEqual([]);
    }
  });

  it('findConverter and conversionTargets (one step, no chaining)', () => {
    expect(findConverter('case-submission', '1.0.0', '2.0.0')).toBe(CONVERTERS[0]);
    expect(findConverter('case-submission', '2.0.0', '1.0.0')).toBe(CONVERTERS[1]);
    expect(findConverter('case-submission', '1.0.0', '1.0.0')).toBeUndefined();
    expect(findConverter('case-submission', '1.0.0', '3.0.0')).toBeUndefined();
    expect(findConverter('case-acknowledgement', '1.0.0', '2.0.0')).toBeUndefined();
    expect(conversionTargets('case-submission', '1.0.0')).toEqual(['2.0.0']);
    expect(conversionTargets('case-submission', '2.0.0')).toEqual(['1.0.0']);
    expect(conversionTargets('case-submission', '9.9.9')).toEqual([]);
    expect(conversionTargets('case-acknowledgement', '1.0.0')).toEqual([]);
  });

  describe.each(CONVERTERS.map((c) => [`${c.contractId} ${c.from} → ${c.to}`, c] as const))('%s', (_label, converter) => {
    it.each(validExamples(converter.contractId, converter.from))('turns valid/%s into a payload valid against the target version', (_file, payload) => {
      const before = structuredClone(payload);
      const converted = converter.convert(payload);
      expect(validatePayload(converter.contractId, converter.to, converted)).toEqual([]);
      expect(payload).toEqual(before); // the input is not modified
    });

    it('works as a detached function (no reliance on `this`)', () => {
      const { convert } = converter;
      const [, payload] = validExamples(converter.contractId, converter.from)[0];
      expect(validatePayload(converter.contractId, converter.to, convert(payload))).toEqual([]);
    });

    it.each([
      ['not an object', [], ''],
      ['no applicant', { item: {} }, '/applicant'],
      ['an unknown applicant kind', { applicant: { kind: 'ROBOT' } }, '/applicant/kind'],
    ])('refuses a payload that is %s: SOURCE_NOT_VALID', (_what, payload, pointer) => {
      expect(() => converter.convert(payload)).toThrow(expect.objectContaining({ name: 'ContractConversionError', code: 'SOURCE_NOT_VALID', pointer }));
    });
  });

  it('1.0.0 → 2.0.0 → 1.0.0 is the identity on the 1.0.0 valid examples (key order included)', () => {
    const up = findConverter('case-submission', '1.0.0', '2.0.0')!;
    const down = findConverter('case-submission', '2.0.0', '1.0.0')!;
    for (const [, payload] of validExamples('case-submission', '1.0.0')) {
      const back = down.convert(up.convert(payload)) as Payload;
      expect(back).toEqual(payload);
      expect(JSON.stringify(back)).toBe(JSON.stringify(payload));
    }
  });

  it('2.0.0 → 1.0.0 → 2.0.0 is the identity on the 2.0.0 valid examples', () => {
    const up = findConverter('case-submission', '1.0.0', '2.0.0')!;
    const down = findConverter('case-submission', '2.0.0', '1.0.0')!;
    for (const [, payload] of validExamples('case-submission', '2.0.0')) expect(JSON.stringify(up.convert(down.convert(payload)))).toBe(JSON.stringify(payload));
  });

  it('1.0.0 → 2.0.0 maps the applicant exactly (and leaves agent, contact, legal representative names alone)', () => {
    const up = findConverter('case-submission', '1.0.0', '2.0.0')!;
    const natural = up.convert(byName('case-submission', '1.0.0', 'natural-person-remote-collection.json')) as Payload;
    expect(natural.applicant).toEqual({ kind: 'NATURAL_PERSON', familyName: '张', givenName: '三', idType: '111', idNumber: '11010519491231002X', mobile: '13800138000' });
    expect(Object.keys(natural.applicant)).toEqual(['kind', 'familyName', 'givenName', 'idType', 'idNumber', 'mobile']);
    expect(natural.agent).toEqual(expect.objectContaining({ name: '李四' }));
    expect(natural.contact).toEqual({ name: '张三', mobile: '13800138000' });
    const legal = up.convert(byName('case-submission', '1.0.0', 'legal-person-fully-online.json')) as Payload;
    expect(legal.applicant).toMatchObject({ kind: 'LEGAL_PERSON', organizationName: '青岛示例食品有限公司', legalRepresentative: { name: '赵六' } });
    expect(legal.applicant).not.toHaveProperty('name');
  });

  it('2.0.0 → 1.0.0 writes a minority name given name first with "·"', () => {
    const down = findConverter('case-submission', '2.0.0', '1.0.0')!;
    const converted = down.convert(byName('case-submission', '2.0.0', 'natural-person-minority-name.json')) as Payload;
    expect(converted.applicant.name).toBe('阿依古丽·买买提');
  });

  it.each([
    ['欧阳娜娜', '欧阳', '娜娜'],
    ['阿依古丽·买买提', '买买提', '阿依古丽'],
  ])('1.0.0 → 2.0.0 splits %s', (name, familyName, givenName) => {
    const payload = byName('case-submission', '1.0.0', 'natural-person-remote-collection.json');
    const converted = findConverter('case-submission', '1.0.0', '2.0.0')!.convert({ ...payload, applicant: { ...payload.applicant, name } }) as Payload;
    expect(converted.applicant).toMatchObject({ familyName, givenName });
    expect(validatePayload('case-submission', '2.0.0', converted)).toEqual([]);
  });

  it('1.0.0 → 2.0.0 refuses a name it cannot split, naming the field but not the value: NOT_REPRESENTABLE', () => {
    const payload = byName('case-submission', '1.0.0', 'natural-person-remote-collection.json');
    const single = { ...payload, applicant: { ...payload.applicant, name: '王' } };
    expect(validatePayload('case-submission', '1.0.0', single)).toEqual([]);
    let error: unknown;
    try {
      findConverter('case-submission', '1.0.0', '2.0.0')!.convert(single);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ContractConversionError);
    expect(error).toMatchObject({ code: 'NOT_REPRESENTABLE', contractId: 'case-submission', from: '1.0.0', to: '2.0.0', pointer: '/applicant/name' });
    expect((error as Error).message).not.toContain('王');
  });

  it('2.0.0 → 1.0.0 refuses a joined name longer than 1.0.0 allows: NOT_REPRESENTABLE', () => {
    const payload = byName('case-submission', '2.0.0', 'natural-person-remote-collection.json');
    const long = { ...payload, applicant: { ...payload.applicant, familyName: '买'.repeat(150), givenName: '丽'.repeat(150) } };
    expect(validatePayload('case-submission', '2.0.0', long)).toEqual([]);
    expect(() => findConverter('case-submission', '2.0.0', '1.0.0')!.convert(long)).toThrow(
      expect.objectContaining({ code: 'NOT_REPRESENTABLE', pointer: '/applicant/givenName' }),
    );
  });
});
