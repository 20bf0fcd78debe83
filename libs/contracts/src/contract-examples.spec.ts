import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ContractRegistry } from './contract.registry';

/**
 * Drives the examples on disk: adding a file under contracts/<id>/<version>/examples/ adds a test
 * case, so an integrator's fixture and our schema cannot drift apart silently.
 */
const CONTRACTS_DIR = resolve(__dirname, '../../../contracts');

interface InvalidExample {
  breaks: string;
  expectedPointer: string;
  payload: unknown;
}

const readJson = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8'));
const jsonFiles = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')).sort() : []);

const versionDirs = readdirSync(CONTRACTS_DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) =>
    readdirSync(join(CONTRACTS_DIR, d.name), { withFileTypes: true })
      .filter((v) => v.isDirectory())
      .map((v) => ({ id: d.name, version: v.name, dir: join(CONTRACTS_DIR, d.name, v.name) })),
  );

const valid = versionDirs.flatMap(({ id, version, dir }) =>
  jsonFiles(join(dir, 'examples/valid')).map((file) => ({ id, version, file, path: join(dir, 'examples/valid', file) })),
);
const invalid = versionDirs.flatMap(({ id, version, dir }) =>
  jsonFiles(join(dir, 'examples/invalid')).map((file) => ({ id, version, file, path: join(dir, 'examples/invalid', file) })),
);

// The same examples against the schemas compiled from disk and against the validators generated
// at build time (src/generated, what the published package uses): both must agree.
describe.each([
  ['compiled from contracts/', () => ContractRegistry.loadFromDirectory(CONTRACTS_DIR)],
  ['precompiled', () => ContractRegistry.precompiled()],
])('contract examples (%s)', (_name, load) => {
  let registry: ContractRegistry;

  beforeAll(() => {
    registry = load();
  });

  it('finds contracts to test', () => {
    expect(versionDirs.length).toBeGreaterThan(0);
  });

  describe.each(versionDirs)('$id@$version', ({ id, version, dir }) => {
    it('is loaded by the registry', () => {
      expect(registry.has(id, version)).toBe(true);
    });

    it('has at least 1 valid and 3 invalid examples', () => {
      expect(jsonFiles(join(dir, 'examples/valid')).length).toBeGreaterThanOrEqual(1);
      expect(jsonFiles(join(dir, 'examples/invalid')).length).toBeGreaterThanOrEqual(3);
    });

    it('is described in the contract CHANGELOG.md', () => {
      const changelog = join(CONTRACTS_DIR, id, 'CHANGELOG.md');
      expect(existsSync(changelog)).toBe(true);
      expect(readFileSync(changelog, 'utf8')).toContain(`## ${version}`);
    });
  });

  it.each(valid)('$id@$version accepts valid/$file', ({ id, version, path }) => {
    expect(registry.validate(id, version, readJson(path))).toEqual([]);
  });

  it.each(invalid)('$id@$version refuses invalid/$file at its expectedPointer', ({ id, version, path }) => {
    const example = readJson(path) as InvalidExample;
    expect(Object.keys(example).sort()).toEqual(['breaks', 'expectedPointer', 'payload']);
    expect(typeof example.breaks).toBe('string');
    expect(example.expectedPointer).toMatch(/^(\/[^/]*)*$/);
    const violations = registry.validate(id, version, example.payload);
    expect(violations.map((v) => v.pointer)).toContain(example.expectedPointer);
    // Each invalid example breaks exactly the rule it states, so it documents that rule alone.
    expect(violations.filter((v) => v.pointer !== example.expectedPointer)).toEqual([]);
  });
});
