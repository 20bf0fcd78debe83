import { builtinModules } from 'node:module';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const LIB = resolve(__dirname, '..');
const ROOT = resolve(LIB, '../..');
const readJson = (path: string): Record<string, Record<string, string>> => JSON.parse(readFileSync(path, 'utf8')) as Record<string, Record<string, string>>;

/** What the published package ships: src/ without specs (tools/ is build-time only). */
const shipped = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return shipped(path);
    return /\.(ts|js)$/.test(entry.name) && !/\.(spec|tmp)\.ts$/.test(entry.name) ? [path] : [];
  });

function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Bare module specifiers of runtime imports (type-only imports vanish from the JavaScript). */
function runtimeImports(code: string): string[] {
  const found: string[] = [];
  for (const m of code.matchAll(/^\s*(import|export)\s+(type\s+)?[^'";]*?from\s+'([^']+)'/gm)) if (!m[2]) found.push(m[3]);
  for (const m of code.matchAll(/require\(["']([^"']+)["']\)/g)) found.push(m[1]);
  return found.filter((s) => !s.startsWith('.'));
}

describe('@tongban/contracts as a package of its own', () => {
  const pkg = readJson(join(LIB, 'package.json'));
  const root = readJson(join(ROOT, 'package.json'));
  const files = shipped(join(LIB, 'src'));
  const imports = new Map<string, string[]>();
  for (const file of files) {
    for (const specifier of runtimeImports(readFileSync(file, 'utf8'))) {
      const name = packageOf(specifier.replace(/^node:/, ''));
      imports.set(name, [...(imports.get(name) ?? []), relative(LIB, file)]);
    }
  }

  it('imports no other part of the monorepo', () => {
    const monorepo = [...imports].filter(([name]) => name.startsWith('@tongban/'));
    expect(monorepo).toEqual([]);
  });

  it('declares every package it imports at run time, and nothing it does not import', () => {
    const external = [...imports.keys()].filter((name) => !builtinModules.includes(name)).sort();
    expect(Object.keys(pkg.dependencies).sort()).toEqual(external);
  });

  it('asks for the same dependency versions as the monorepo it is tested in', () => {
    for (const [name, range] of Object.entries(pkg.dependencies)) expect([name, root.dependencies[name]]).toEqual([name, range]);
  });

  it('is @tongban/contracts 1.0.0 with the tongban-contracts bin', () => {
    expect(pkg).toMatchObject({ name: '@tongban/contracts', version: '1.0.0', main: 'lib/index.js', types: 'lib/index.d.ts', bin: { 'tongban-contracts': 'lib/cli/bin.js' } });
  });
});
