import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');
const GENERATED = resolve(__dirname, '../src/generated');

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [relative(GENERATED, join(dir, entry.name)).split('\\').join('/')],
  );

/**
 * Runs the generator exactly as `npm run contracts:generate` does (swc, then node), but with
 * --print: it writes nothing. Out of process because json-schema-to-typescript loads prettier 3,
 * whose CommonJS entry import()s ESM, which jest's module loader cannot do.
 */
function generateInMemory(): Map<string, string> {
  const out = join(ROOT, 'dist', `.contracts-generate-check-${process.pid}`);
  try {
    execFileSync(join(ROOT, 'node_modules/.bin/swc'), ['libs/contracts', '--config-file', '.swcrc', '--out-dir', out, '--quiet'], { cwd: ROOT });
    const json = execFileSync(process.execPath, [join(out, 'libs/contracts/tools/generate.js'), '--print'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
    return new Map(Object.entries(JSON.parse(json) as Record<string, string>));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/**
 * src/generated is committed so that the gateway and the package validate without compiling a
 * schema. Regenerating it must give exactly the committed files: a schema changed without
 * `npm run contracts:generate` fails here.
 */
describe('generated contract code (npm run contracts:generate)', () => {
  let expected: Map<string, string>;

  beforeAll(() => {
    expected = generateInMemory();
  }, 60000);

  it('has exactly the files the generator writes', () => {
    expect(filesUnder(GENERATED).sort()).toEqual([...expected.keys()].sort());
  });

  it('is up to date with contracts/ (else run npm run contracts:generate and commit)', () => {
    const stale = [...expected].filter(([path, content]) => readFileSync(join(GENERATED, path), 'utf8') !== content).map(([path]) => path);
    expect(stale).toEqual([]);
  });

  it('has one precompiled validator per contract version, needing only ajv runtime helpers and ajv-formats', () => {
    const code = expected.get('validators.js') as string;
    const requires = [...new Set([...code.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]))];
    expect(requires.length).toBeGreaterThan(0);
    expect(requires.filter((r) => !r.startsWith('ajv/dist/runtime/') && r !== 'ajv-formats/dist/formats')).toEqual([]);
    expect(code).not.toMatch(/new Ajv|\.compile\(/);
    const catalogue = expected.get('catalogue.ts') as string;
    for (const [, id, version] of catalogue.matchAll(/"id": "([^"]+)"[\s\S]*?"version": "([^"]+)"/g)) expect(code).toContain(`exports["${id}@${version}"]`);
  });
});
