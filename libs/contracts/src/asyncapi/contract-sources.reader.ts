import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { compareSemver, isSemver } from '../semver.compare';
import { generateAsyncApi, type AsyncApiContract, type AsyncApiDistrict, type AsyncApiOptions } from './asyncapi.generator';

/**
 * Reads contracts/<id>/<version>/schema.json (and examples/valid/*.json) for generateAsyncApi.
 * `messageTypeOf` maps a contract id to its message type (the catalogue lives in @tongban/envelope,
 * which this publishable library does not depend on); a contract without one is an error.
 */
export function readContractSources(dir: string, messageTypeOf: (contractId: string) => string | undefined): AsyncApiContract[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`contracts directory ${dir} does not exist`);
  const out: AsyncApiContract[] = [];
  for (const id of readdirSync(dir).sort()) {
    const contractDir = join(dir, id);
    if (!statSync(contractDir).isDirectory()) continue;
    const messageType = messageTypeOf(id);
    if (messageType === undefined) throw new Error(`contract ${id} is not the contract of any message type`);
    const versions = readdirSync(contractDir).filter((v) => statSync(join(contractDir, v)).isDirectory() && isSemver(v));
    for (const version of versions.sort(compareSemver)) {
      const versionDir = join(contractDir, version);
      const schema = readJson(join(versionDir, 'schema.json')) as Record<string, unknown>;
      const validDir = join(versionDir, 'examples', 'valid');
      const examples = existsSync(validDir)
        ? readdirSync(validDir)
            .filter((f) => f.endsWith('.json'))
            .sort()
            .map((f) => ({ name: basename(f, '.json'), payload: readJson(join(validDir, f)) }))
        : [];
      out.push({ id, messageType, version, schema, examples });
    }
  }
  return out;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
}

/** The committed form: pretty JSON with a final newline. */
export function serializeAsyncApi(document: object): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** readContractSources + generateAsyncApi: what `tongban asyncapi` writes and the test compares. */
export function asyncApiFromDirectory(
  contractsDir: string,
  districts: readonly AsyncApiDistrict[],
  options: AsyncApiOptions & { messageTypeOf: (contractId: string) => string | undefined },
): Record<string, unknown> {
  const { messageTypeOf, ...rest } = options;
  return generateAsyncApi(readContractSources(contractsDir, messageTypeOf), districts, rest);
}
