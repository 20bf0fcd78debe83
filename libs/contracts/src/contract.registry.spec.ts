import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ContractError, ContractErrorCode } from './contract.error';
import { ContractRegistry, contractSchemaId } from './contract.registry';
import { compareSemver } from './semver.compare';

const CONTRACTS_DIR = resolve(__dirname, '../../../contracts');

/** Builds a throw-away contracts/ folder from { 'id/version': schemaWithoutId }. */
function contractsDir(schemas: Record<string, Record<string, unknown>>): string {
  const root = mkdtempSync(join(tmpdir(), 'tongban-contracts-'));
  for (const [path, schema] of Object.entries(schemas)) {
    const [id, version] = path.split('/');
    mkdirSync(join(root, id, version), { recursive: true });
    writeFileSync(
      join(root, id, version, 'schema.json'),
      JSON.stringify({ $schema: 'https://json-schema.org/draft/2020-12/schema', $id: contractSchemaId(id, version), ...schema }),
    );
  }
  return root;
}

function contractError(fn: () => unknown): ContractError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ContractError) return error;
    throw error;
  }
  throw new Error('expected a ContractError');
}

const SIMPLE = { type: 'object', additionalProperties: false, properties: { 'a/b': { type: 'string' }, 'c~d': { type: 'integer' } } };

describe('ContractRegistry', () => {
  const dirs: string[] = [];
  const make = (schemas: Record<string, Record<string, unknown>>): string => {
    const dir = contractsDir(schemas);
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('lists the shipped contracts with their titles', () => {
    const registry = ContractRegistry.loadFromDirectory(CONTRACTS_DIR);
    expect(registry.list()).toEqual(
      expect.arrayContaining([
        { id: 'case-submission', version: '1.0.0', title: '办件流转 / Case submission' },
        { id: 'case-acknowledgement', version: '1.0.0', title: '办件签收 / Case acknowledgement' },
      ]),
    );
  });

  it('sorts versions by SemVer precedence, not as strings', () => {
    const versions = ['1.10.0', '1.2.0', '2.0.0-rc.1', '1.2.0-alpha', '2.0.0', '1.2.0-alpha.10', '1.2.0-alpha.2'];
    const registry = ContractRegistry.loadFromDirectory(make(Object.fromEntries(versions.map((v) => [`x/${v}`, SIMPLE]))));
    expect(registry.versions('x')).toEqual(['1.2.0-alpha', '1.2.0-alpha.2', '1.2.0-alpha.10', '1.2.0', '1.10.0', '2.0.0-rc.1', '2.0.0']);
    expect(registry.versions('y')).toEqual([]);
    expect(registry.has('x', '1.10.0')).toBe(true);
    expect(registry.has('x', '1.3.0')).toBe(false);
    expect(compareSemver('1.0.0', '1.0.0')).toBe(0);
  });

  it('throws UNKNOWN_CONTRACT and UNKNOWN_VERSION, the latter listing the known versions', () => {
    const registry = ContractRegistry.loadFromDirectory(make({ 'x/1.0.0': SIMPLE, 'x/1.1.0': SIMPLE }));
    expect(contractError(() => registry.validate('nope', '1.0.0', {})).code).toBe(ContractErrorCode.UNKNOWN_CONTRACT);
    const error = contractError(() => registry.validate('x', '2.0.0', {}));
    expect(error.code).toBe(ContractErrorCode.UNKNOWN_VERSION);
    expect(error.message).toContain('1.0.0, 1.1.0');
    expect(error.detail).toMatchObject({ knownVersions: ['1.0.0', '1.1.0'] });
  });

  it('returns a version\'s schema (a copy) from a directory and, read on first use, from the precompiled registry', () => {
    const registry = ContractRegistry.loadFromDirectory(make({ 'x/1.0.0': SIMPLE }));
    const schema = registry.schema('x', '1.0.0');
    expect(schema).toMatchObject({ $id: contractSchemaId('x', '1.0.0'), properties: SIMPLE.properties });
    schema.properties = {};
    expect(registry.schema('x', '1.0.0').properties).toEqual(SIMPLE.properties);
    expect(contractError(() => registry.schema('x', '9.0.0')).code).toBe(ContractErrorCode.UNKNOWN_VERSION);
    const shipped = JSON.parse(readFileSync(join(CONTRACTS_DIR, 'acceptance', '1.0.0', 'schema.json'), 'utf8'));
    expect(ContractRegistry.precompiled().schema('acceptance', '1.0.0')).toEqual(shipped);
  });

  it('escapes JSON pointer tokens (RFC 6901)', () => {
    const registry = ContractRegistry.loadFromDirectory(make({ 'x/1.0.0': SIMPLE }));
    expect(registry.validate('x', '1.0.0', { 'a/b': 1, 'c~d': 'x', 'e/f~': true }).map((v) => [v.pointer, v.keyword])).toEqual([
      ['/e~1f~0', 'additionalProperties'],
      ['/a~1b', 'type'],
      ['/c~0d', 'type'],
    ]);
    expect(registry.validate('x', '1.0.0', [])).toEqual([{ pointer: '', keyword: 'type', message: 'payload must be object' }]);
  });

  it('reports every violation at once, each naming the field in Chinese and English', () => {
    const registry = ContractRegistry.loadFromDirectory(CONTRACTS_DIR);
    const violations = registry.validate('case-acknowledgement', '1.0.0', { acknowledgedMessageId: 'x', signedBy: {}, signedAt: '2026-03-02T10:02:11+08:00' });
    expect(violations).toEqual([
      { pointer: '/acknowledgedEnvelopeDigest', keyword: 'required', message: expect.stringContaining('被签收信封的 SHA-256 摘要') },
      { pointer: '/acknowledgedMessageId', keyword: 'format', message: expect.stringContaining('must be a valid uuid') },
      { pointer: '/signedBy/officer', keyword: 'required', message: '签收人员 / Signing officer (/signedBy/officer) is required but missing' },
    ]);
  });

  it('says a field forbidden in an if/then branch (`"field": false`) is not allowed, in both registries', () => {
    const example = readFileSync(resolve(CONTRACTS_DIR, 'case-submission/2.0.0/examples/invalid/legal-person-with-family-name.json'), 'utf8');
    const { payload } = JSON.parse(example) as { payload: unknown };
    for (const registry of [ContractRegistry.loadFromDirectory(CONTRACTS_DIR), ContractRegistry.precompiled()]) {
      expect(registry.validate('case-submission', '2.0.0', payload)).toEqual([
        { pointer: '/applicant/familyName', keyword: 'false schema', message: '/applicant/familyName is not allowed here by the contract' },
      ]);
    }
  });

  it('never copies payload values into messages (ID numbers are sensitive)', () => {
    const registry = ContractRegistry.loadFromDirectory(CONTRACTS_DIR);
    const violations = registry.validate('case-submission', '1.0.0', {
      applicant: { kind: 'NATURAL_PERSON', name: '张三', idType: '111', idNumber: '11010519491231002Y', mobile: '138001380' },
    });
    expect(violations.map((v) => v.pointer)).toEqual(expect.arrayContaining(['/applicant/idNumber', '/applicant/mobile']));
    const text = JSON.stringify(violations);
    expect(text).not.toContain('11010519491231002Y');
    expect(text).not.toContain('138001380"');
  });

  it('refuses a schema with a typo in a keyword (strict mode), naming the contract', () => {
    const error = contractError(() => ContractRegistry.loadFromDirectory(make({ 'x/1.0.0': { type: 'string', minLenght: 1 } })));
    expect(error.code).toBe(ContractErrorCode.INVALID_SCHEMA);
    expect(error.message).toContain('x@1.0.0');
  });

  it('refuses a schema whose $id does not match its folder', () => {
    const dir = make({});
    mkdirSync(join(dir, 'x', '1.1.0'), { recursive: true });
    writeFileSync(join(dir, 'x', '1.1.0', 'schema.json'), JSON.stringify({ $id: contractSchemaId('x', '1.0.0'), type: 'object' }));
    expect(contractError(() => ContractRegistry.loadFromDirectory(dir)).code).toBe(ContractErrorCode.INVALID_SCHEMA);
  });

  it.each([
    ['a version folder that is not SemVer', 'x/1.0'],
    ['a contract folder that is not kebab-case', 'Case_Submission/1.0.0'],
  ])('refuses %s with INVALID_LAYOUT', (_name, path) => {
    expect(contractError(() => ContractRegistry.loadFromDirectory(make({ [path]: SIMPLE }))).code).toBe(ContractErrorCode.INVALID_LAYOUT);
  });

  it('refuses a missing directory with INVALID_LAYOUT', () => {
    expect(contractError(() => ContractRegistry.loadFromDirectory(join(tmpdir(), 'tongban-no-such-dir'))).code).toBe(ContractErrorCode.INVALID_LAYOUT);
  });
});
