import Ajv2020 from 'ajv/dist/2020';
import type { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ContractError, ContractErrorCode } from './contract.error';
import { toViolations, type ContractViolation } from './contract-violation.mapper';
import { compareSemver, isSemver } from './semver.compare';

const CONTRACT_ID_RE = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/** The canonical $id of a contract schema; the folder and the $id must agree. */
export function contractSchemaId(id: string, version: string): string {
  return `https://tongban.example/contracts/${id}/${version}/schema.json`;
}

interface LoadedContract {
  title?: string;
  validate: ValidateFunction;
}

/**
 * The versioned payload schemas of contracts/<id>/<semver>/schema.json, compiled once at load:
 * compiling costs tens of milliseconds, validating a message about a microsecond.
 */
export class ContractRegistry {
  private readonly contracts = new Map<string, Map<string, LoadedContract>>();

  private constructor() {}

  static loadFromDirectory(dir: string): ContractRegistry {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      throw new ContractError(ContractErrorCode.INVALID_LAYOUT, `contracts directory ${dir} does not exist`, { dir });
    }
    // strict: a typo'd keyword in a schema would otherwise silently validate nothing.
    // verbose: violations quote the failing field's description (see toViolations).
    const ajv = new Ajv2020({ allErrors: true, strict: true, verbose: true });
    addFormats(ajv);
    const registry = new ContractRegistry();
    for (const id of readdirSync(dir).sort()) {
      const contractDir = join(dir, id);
      if (!statSync(contractDir).isDirectory()) continue; // README.md and the like
      if (!CONTRACT_ID_RE.test(id)) {
        throw new ContractError(ContractErrorCode.INVALID_LAYOUT, `contract folder "${id}" is not a kebab-case contract id`, { id });
      }
      const versions = new Map<string, LoadedContract>();
      for (const version of readdirSync(contractDir)) {
        const versionDir = join(contractDir, version);
        if (!statSync(versionDir).isDirectory()) continue; // CHANGELOG.md
        if (!isSemver(version)) {
          throw new ContractError(ContractErrorCode.INVALID_LAYOUT, `contract ${id}: folder "${version}" is not a semantic version`, { id, version });
        }
        versions.set(version, registry.compile(ajv, id, version, join(versionDir, 'schema.json')));
      }
      if (versions.size > 0) registry.contracts.set(id, versions);
    }
    return registry;
  }

  private compile(ajv: Ajv2020, id: string, version: string, file: string): LoadedContract {
    if (!existsSync(file)) {
      throw new ContractError(ContractErrorCode.INVALID_LAYOUT, `contract ${id}@${version} has no schema.json`, { id, version });
    }
    let schema: Record<string, unknown>;
    try {
      schema = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch (error) {
      throw new ContractError(ContractErrorCode.INVALID_SCHEMA, `contract ${id}@${version}: schema.json is not JSON: ${(error as Error).message}`, { id, version });
    }
    const expectedId = contractSchemaId(id, version);
    if (schema.$id !== expectedId) {
      // A copied folder that kept the old $id would shadow, or be shadowed by, its original.
      throw new ContractError(ContractErrorCode.INVALID_SCHEMA, `contract ${id}@${version}: $id must be ${expectedId}`, { id, version });
    }
    try {
      return {
        title: typeof schema.title === 'string' ? schema.title : undefined,
        validate: ajv.compile(schema),
      };
    } catch (error) {
      throw new ContractError(ContractErrorCode.INVALID_SCHEMA, `contract ${id}@${version} does not compile: ${(error as Error).message}`, { id, version });
    }
  }

  has(id: string, version: string): boolean {
    return this.contracts.get(id)?.has(version) ?? false;
  }

  /** Known versions of a contract, ascending by SemVer precedence; [] for an unknown contract. */
  versions(id: string): string[] {
    return [...(this.contracts.get(id)?.keys() ?? [])].sort(compareSemver);
  }

  list(): Array<{ id: string; version: string; title?: string }> {
    return [...this.contracts.keys()].sort().flatMap((id) =>
      this.versions(id).map((version) => {
        const { title } = this.contracts.get(id)?.get(version) as LoadedContract;
        return title === undefined ? { id, version } : { id, version, title };
      }),
    );
  }

  /** [] when the payload satisfies the contract; otherwise every violation (allErrors). */
  validate(id: string, version: string, payload: unknown): ContractViolation[] {
    const versions = this.contracts.get(id);
    if (!versions) {
      throw new ContractError(ContractErrorCode.UNKNOWN_CONTRACT, `unknown contract "${id}"; known contracts: ${[...this.contracts.keys()].sort().join(', ') || 'none'}`, { id });
    }
    const contract = versions.get(version);
    if (!contract) {
      const known = this.versions(id);
      throw new ContractError(ContractErrorCode.UNKNOWN_VERSION, `contract "${id}" has no version ${version}; known versions: ${known.join(', ')}`, {
        id,
        version,
        knownVersions: known,
      });
    }
    return contract.validate(payload) ? [] : toViolations(contract.validate.errors);
  }
}
