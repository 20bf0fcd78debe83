import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError } from './config.error';
import { loadConfig } from './config.loader';

const ROOT = resolve(__dirname, '../../..');
const gatewayJson = JSON.parse(readFileSync(join(ROOT, 'config/gateway.json'), 'utf8')) as Record<string, unknown>;

let scratch: string;
beforeAll(() => (scratch = mkdtempSync(join(tmpdir(), 'tongban-config-materials-'))));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function fileWith(patch: Record<string, unknown>): string {
  const file = join(scratch, `gateway-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify({ ...gatewayJson, alliance: join(ROOT, 'config/alliance/demo.json'), ...patch }));
  return file;
}

function failure(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('materials settings', () => {
  it('defaults to 100 MiB in a directory under dataDir, also when the section is absent', () => {
    expect(loadConfig({ rootDir: ROOT, env: {} }).materials).toEqual({ maxBytes: 104857600, store: 'directory', dir: join(ROOT, 'var/materials') });
    const file = fileWith({ materials: undefined });
    expect(loadConfig({ rootDir: ROOT, env: { DATA_DIR: '/srv/tongban' }, file }).materials).toEqual({
      maxBytes: 104857600,
      store: 'directory',
      dir: '/srv/tongban/materials',
    });
  });

  it('takes MATERIALS_MAX_BYTES, MATERIALS_STORE and MATERIALS_DIR from the environment', () => {
    const config = loadConfig({ rootDir: ROOT, env: { MATERIALS_MAX_BYTES: '2048', MATERIALS_STORE: 'postgres', MATERIALS_DIR: 'files' } });
    expect(config.materials).toEqual({ maxBytes: 2048, store: 'postgres', dir: join(ROOT, 'files') });
  });

  it.each<[string, Record<string, string>, string, RegExp]>([
    ['a size with a unit', { MATERIALS_MAX_BYTES: '100MB' }, 'MATERIALS_MAX_BYTES', /positive integer.*got "100MB"/],
    ['a zero size', { MATERIALS_MAX_BYTES: '0' }, 'MATERIALS_MAX_BYTES', /positive integer/],
    ['an unknown store', { MATERIALS_STORE: 's3' }, 'MATERIALS_STORE', /directory, postgres.*got "s3"/],
  ])('names the variable for %s', (_what, env, key, message) => {
    const error = failure(() => loadConfig({ rootDir: ROOT, env }));
    expect(error.key).toBe(key);
    expect(error.message).toMatch(message);
  });

  it('refuses a misspelt key in the file', () => {
    const error = failure(() => loadConfig({ rootDir: ROOT, env: {}, file: fileWith({ materials: { maxBytes: 10, stor: 'postgres' } }) }));
    expect(error.key).toBe('materials.stor');
  });
});
