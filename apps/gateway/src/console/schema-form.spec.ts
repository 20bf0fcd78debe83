import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve as resolvePath } from 'node:path';

type Schema = Record<string, unknown>;
interface Violation {
  pointer: string;
  message: string;
}
/** The pure half of static/schema-form.js (a browser script; it also exports itself as CommonJS for this test). */
interface SchemaFormCore {
  descriptionIn(description: unknown, lang: string): string;
  labelAndHelp(description: unknown, lang: string): { label: string; help: string };
  parseEnumLabels(description: unknown, codes: unknown[], lang: string): Record<string, string>;
  localToRfc3339(local: string, offsetMinutesEast?: number): string | undefined;
  rfc3339ToLocal(value: unknown): string;
  formatOffset(minutesEast: number): string;
  resolve(root: Schema, schema: unknown): Schema | false;
  isFileRef(schema: unknown): boolean;
  effectiveObject(root: Schema, schema: unknown, value: unknown): { order: string[]; props: Record<string, Schema>; required: Set<string>; forbidden: Set<string> };
  conditionKeys(root: Schema, schema: unknown): Set<string>;
  validateValue(root: Schema, schema: unknown, value: unknown, lang: string): Violation[];
  prune(value: unknown): unknown;
  htmlPattern(pattern: string): string | undefined;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const SchemaForm = require('./static/schema-form.js') as SchemaFormCore;

const CONTRACTS = resolvePath(__dirname, '../../../../contracts');
const schemaOf = (id: string, version = '1.0.0'): Schema => JSON.parse(readFileSync(join(CONTRACTS, id, version, 'schema.json'), 'utf8'));
const prop = (schema: Schema, name: string): Schema => (schema.properties as Record<string, Schema>)[name];

describe('schema-form (the pure part)', () => {
  it('reads the language half of "中文 / English" descriptions, with a short label and the whole as help', () => {
    const d = '承诺办结时间（按办理地日历由承诺时限算出） / Promised due date, computed from the promised limit';
    expect(SchemaForm.descriptionIn(d, 'zh-CN')).toBe('承诺办结时间（按办理地日历由承诺时限算出）');
    expect(SchemaForm.labelAndHelp(d, 'zh-CN')).toEqual({ label: '承诺办结时间', help: '承诺办结时间（按办理地日历由承诺时限算出）' });
    expect(SchemaForm.labelAndHelp(d, 'en')).toEqual({ label: 'Promised due date', help: 'Promised due date, computed from the promised limit' });
    expect(SchemaForm.labelAndHelp('受理人员 / Accepting officer', 'en')).toEqual({ label: 'Accepting officer', help: '' });
    expect(SchemaForm.labelAndHelp(undefined, 'zh-CN')).toEqual({ label: '', help: '' });
  });

  it('takes enum option labels from the description ("CODE 中文名" pairs), falling back to the code', () => {
    const method = prop(schemaOf('delivery-confirmation'), 'method');
    expect(SchemaForm.parseEnumLabels(method.description, method.enum as string[], 'zh-CN')).toEqual({
      WINDOW_HANDOVER: '窗口出件（统一出件）',
      MAIL_DELIVERED: '邮寄已签收',
      ELECTRONIC: '电子送达',
    });
    expect(SchemaForm.parseEnumLabels(method.description, method.enum as string[], 'en')).toEqual({
      WINDOW_HANDOVER: 'handed over at the window',
      MAIL_DELIVERED: 'mail signed for',
      ELECTRONIC: 'delivered electronically',
    });
    // A code inside a longer one (SATISFIED in VERY_SATISFIED) is not mistaken for it.
    const level = prop(schemaOf('evaluation'), 'level');
    expect(SchemaForm.parseEnumLabels(level.description, level.enum as string[], 'zh-CN')).toEqual({
      VERY_SATISFIED: '非常满意',
      SATISFIED: '满意',
      BASIC_SATISFIED: '基本满意',
      DISSATISFIED: '不满意',
      VERY_DISSATISFIED: '非常不满意',
    });
    // Integer codes; a comma inside brackets does not end the label.
    const round = prop(schemaOf('evaluation'), 'round');
    expect(SchemaForm.parseEnumLabels(round.description, round.enum as number[], 'zh-CN')).toEqual({ 1: '首次评价', 2: '二次评价（改评，限一次）' });
    // English that lists labels in enum order without naming the codes.
    const channel = prop(schemaOf('withdrawal'), 'channel');
    expect(SchemaForm.parseEnumLabels(channel.description, channel.enum as string[], 'en')).toMatchObject({ WINDOW: 'Window', SELF_SERVICE: 'Self-service terminal', OTHER: 'Other' });
    // "APPROVED 或 PARTIALLY_APPROVED" names no label: the codes stay codes; so do Chinese words in English parentheses.
    expect(SchemaForm.parseEnumLabels('准予时的办结结果代码：APPROVED 或 PARTIALLY_APPROVED / Result code: APPROVED or PARTIALLY_APPROVED', ['APPROVED', 'PARTIALLY_APPROVED'], 'zh-CN')).toEqual({});
    const decision = prop(schemaOf('conclusion'), 'decision');
    expect(SchemaForm.parseEnumLabels(decision.description, decision.enum as string[], 'en')).toEqual({});
    expect(SchemaForm.parseEnumLabels(decision.description, decision.enum as string[], 'zh-CN')).toEqual({ APPROVED: '准予', DENIED: '不予' });
  });

  it('turns a datetime-local value into RFC 3339 with the local offset, and back', () => {
    expect(SchemaForm.localToRfc3339('2026-11-25T10:00', 480)).toBe('2026-11-25T10:00:00+08:00');
    expect(SchemaForm.localToRfc3339('2026-11-25T10:00:30', -330)).toBe('2026-11-25T10:00:30-05:30');
    expect(SchemaForm.localToRfc3339('2026-11-25T10:00', 0)).toBe('2026-11-25T10:00:00+00:00');
    expect(SchemaForm.localToRfc3339('2026-03-16T23:59:59.999', 480)).toBe('2026-03-16T23:59:59.999+08:00');
    expect(SchemaForm.localToRfc3339('', 480)).toBeUndefined();
    expect(SchemaForm.localToRfc3339('25/11/2026 10:00', 480)).toBeUndefined();
    expect(SchemaForm.formatOffset(345)).toBe('+05:45');
    // Without an override, the offset of this process's zone at that date: the same instant either way.
    const sent = '2026-03-10T10:05:00+08:00';
    const local = SchemaForm.rfc3339ToLocal(sent);
    expect(local).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    const back = SchemaForm.localToRfc3339(local)!;
    expect(back).toMatch(/[+-]\d{2}:\d{2}$/);
    expect(Date.parse(back)).toBe(Date.parse(sent));
    expect(SchemaForm.rfc3339ToLocal('not a time')).toBe('');
    const precise = '2026-03-16T23:59:59.999+08:00';
    expect(Date.parse(SchemaForm.localToRfc3339(SchemaForm.rfc3339ToLocal(precise))!)).toBe(Date.parse(precise));
  });

  it('follows $ref into $defs, the referring description winning', () => {
    const acceptance = schemaOf('acceptance');
    expect(SchemaForm.resolve(acceptance, prop(acceptance, 'officer'))).toMatchObject({ type: 'string', maxLength: 200, description: '受理人员 / Accepting officer' });
    const supplement = schemaOf('supplement');
    const material = SchemaForm.resolve(supplement, (prop(supplement, 'materials').items as Schema)) as Schema;
    expect(SchemaForm.isFileRef(SchemaForm.resolve(supplement, prop(material, 'file')))).toBe(true);
    expect(SchemaForm.isFileRef(material)).toBe(false);
  });

  it('applies if/then in allOf and dependentSchemas: required, forbidden and narrowed fields follow the discriminator', () => {
    const conclusion = schemaOf('conclusion');
    const denied = SchemaForm.effectiveObject(conclusion, conclusion, { decision: 'DENIED' });
    expect([...denied.required]).toEqual(expect.arrayContaining(['reasons']));
    expect([...denied.forbidden].sort()).toEqual(['certificate', 'noCertificateReason']);
    expect(denied.props.resultCode.enum).toEqual(['DENIED', 'NOT_WITHIN_COMPETENCE']);
    // The narrowed field keeps its own name (label, option names); the branch's wording is a note.
    expect(denied.props.resultCode.description).toBe(prop(conclusion, 'resultCode').description);
    expect(denied.props.resultCode['x-tongban-condition']).toMatch(/^不予时的办结结果代码/);
    const approved = SchemaForm.effectiveObject(conclusion, conclusion, { decision: 'APPROVED' });
    expect(approved.required.has('certificate')).toBe(true);
    expect(approved.props.resultCode.enum).toEqual(['APPROVED', 'PARTIALLY_APPROVED']);
    expect(SchemaForm.effectiveObject(conclusion, conclusion, { decision: 'APPROVED', noCertificateReason: '批复文件' }).required.has('certificate')).toBe(false);
    expect(SchemaForm.effectiveObject(conclusion, conclusion, { decision: 'APPROVED', certificate: {} }).forbidden.has('noCertificateReason')).toBe(true);
    expect([...SchemaForm.conditionKeys(conclusion, conclusion)].sort()).toEqual(['certificate', 'decision', 'noCertificateReason', 'resultCode']);

    const resultReturn = schemaOf('result-return');
    const electronic = SchemaForm.effectiveObject(resultReturn, resultReturn, { method: 'ELECTRONIC' });
    expect(electronic.required.has('resultFile')).toBe(true);
    expect(electronic.forbidden.has('waybill')).toBe(true);
    expect(SchemaForm.effectiveObject(resultReturn, resultReturn, { method: 'MAIL' }).required.has('waybill')).toBe(true);

    // A top-level if/then (not in allOf) with an enum condition.
    const step = schemaOf('processing-step');
    expect(SchemaForm.effectiveObject(step, step, { action: 'RETURN' }).required.has('opinion')).toBe(true);
    expect(SchemaForm.effectiveObject(step, step, { action: 'PASS' }).required.has('opinion')).toBe(false);
  });

  it('reports required fields, patterns and conditions with JSON pointers, in the language', () => {
    const acceptance = schemaOf('acceptance');
    const errors = SchemaForm.validateValue(acceptance, acceptance, { acceptingBody: { name: '罗湖区政务服务中心', uscc: 'not-a-code' }, officer: '   ' }, 'zh-CN');
    expect(errors).toEqual(
      expect.arrayContaining([
        { pointer: '/acceptedAt', message: '必填' },
        { pointer: '/noticeNumber', message: '必填' },
        { pointer: '/promisedDueAt', message: '必填' },
        { pointer: '/acceptingBody/uscc', message: '格式不正确' },
        { pointer: '/officer', message: '格式不正确' },
      ]),
    );
    const supplement = schemaOf('supplement');
    const material = { code: 'M002', name: '劳动合同', form: 'ELECTRONIC', count: 1, receivedAt: '2026-03-10T10:05:00+08:00' };
    expect(SchemaForm.validateValue(supplement, supplement, { noticeNumber: 'BZ-1', submittedAt: '2026-03-10T10:05:00+08:00', materials: [material, undefined] }, 'en')).toEqual([
      { pointer: '/materials/0/file', message: 'Required' },
      { pointer: '/materials/1', message: 'Required' },
    ]);
  });

  // The contracts' own examples keep this validator honest against ajv's verdicts.
  const contractIds = readdirSync(CONTRACTS, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name);
  const versions = contractIds.flatMap((id) =>
    readdirSync(join(CONTRACTS, id), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => ({ id, version: d.name, dir: join(CONTRACTS, id, d.name, 'examples') })),
  );
  const examples = (dir: string) => {
    try {
      return readdirSync(dir).filter((f) => f.endsWith('.json'));
    } catch {
      return [];
    }
  };

  it('finds nothing wrong with any valid example of any contract', () => {
    for (const { id, version, dir } of versions) {
      const schema = schemaOf(id, version);
      for (const file of examples(join(dir, 'valid'))) {
        const payload = JSON.parse(readFileSync(join(dir, 'valid', file), 'utf8'));
        expect({ example: `${id}@${version}/${file}`, errors: SchemaForm.validateValue(schema, schema, payload, 'en') }).toEqual({ example: `${id}@${version}/${file}`, errors: [] });
      }
    }
  });

  it('finds the fault of the invalid examples at (or above) the pointer ajv reports', () => {
    const missed: string[] = [];
    for (const { id, version, dir } of versions) {
      const schema = schemaOf(id, version);
      for (const file of examples(join(dir, 'invalid'))) {
        const { payload, expectedPointer } = JSON.parse(readFileSync(join(dir, 'invalid', file), 'utf8')) as { payload: unknown; expectedPointer?: string };
        const errors = SchemaForm.validateValue(schema, schema, payload, 'en');
        const hit = errors.some((e) => expectedPointer === undefined || expectedPointer === e.pointer || expectedPointer.startsWith(`${e.pointer}/`) || e.pointer.startsWith(`${expectedPointer}/`));
        if (!hit) missed.push(`${id}@${version}/${file} (${expectedPointer}): ${JSON.stringify(errors)}`);
      }
    }
    expect(missed).toEqual([]);
  });

  it('drops what was not given from the payload', () => {
    expect(SchemaForm.prune({ a: undefined, b: [undefined, 'x'], c: { d: undefined, e: 1 } })).toEqual({ b: ['x'], c: { e: 1 } });
  });

  it('turns JSON Schema patterns into HTML pattern attributes (anchored, v flag) with the same verdicts', () => {
    const cases: Array<[string, string[], string[]]> = [
      ['\\S', ['孙九', ' a '], ['', '   ']],
      ['^sha256:[0-9a-f]{64}$', [`sha256:${'a'.repeat(64)}`], ['sha256:xyz']],
      ['^[0-9A-Za-z][0-9A-Za-z._-]{0,127}$', ['M002', 'a.b-c_d'], ['-x', 'a b']],
      ['^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$', ['application/pdf', 'image/svg+xml'], ['pdf', 'Application/PDF']],
      ['^\\S(.*\\S)?$', ['罗政数受〔2026〕0123号'], [' x', 'x ']],
    ];
    for (const [pattern, good, bad] of cases) {
      const html = SchemaForm.htmlPattern(pattern);
      expect(html).toBeDefined();
      const re = new RegExp(`^(?:${html})$`, 'v');
      for (const s of good) expect({ pattern, s, ok: re.test(s) }).toEqual({ pattern, s, ok: true });
      for (const s of bad) expect({ pattern, s, ok: re.test(s) }).toEqual({ pattern, s, ok: false });
    }
  });
});
