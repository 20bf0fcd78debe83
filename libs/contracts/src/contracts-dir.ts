import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CATALOGUE } from './generated/catalogue';

/**
 * The contracts/ folder (schemas, examples, changelogs) next to this code: `<package>/contracts`
 * in the published package, the repository's contracts/ in the monorepo (from src/ or dist/).
 * undefined when it cannot be found.
 */
export function contractsDirectory(): string | undefined {
  const probe = CATALOGUE[0] ? join(CATALOGUE[0].id, CATALOGUE[0].versions[0].version, 'schema.json') : '';
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const candidate = join(dir, 'contracts');
    if (existsSync(join(candidate, probe))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}
